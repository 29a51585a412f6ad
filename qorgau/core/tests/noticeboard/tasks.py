from django.tasks import task


@task()
def tidy() -> str:
    return "tidied"
