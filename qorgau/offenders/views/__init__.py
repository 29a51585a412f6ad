"""The offender track's pages: treatment referrals, programme referrals, partner contacts, analysis."""
