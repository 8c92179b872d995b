"""factory_boy factories for the models tests build most often."""

import factory
from stdnum.cn import uscc as stdnum_uscc

from gaoxin.accounts.models import Department, Role, User
from gaoxin.enterprises.models import Cluster, Enterprise, IndustryCode

TEST_PASSWORD = "Test-Passw0rd!"


def valid_uscc(n: int) -> str:
    body = f"91371100MA{n:07d}"
    return body + stdnum_uscc.calc_check_digit(body)


def industry_code(code: str) -> IndustryCode:
    """The code, reloading the shipped data if a transactional test flushed it."""
    found = IndustryCode.objects.filter(code=code).first()
    if found is None:
        from gaoxin.enterprises.industry import load_industry_codes

        load_industry_codes()
        found = IndustryCode.objects.get(code=code)
    return found


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dept{n}")
    name = factory.Sequence(lambda n: f"部门{n}")


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cluster{n}")
    name = factory.Sequence(lambda n: f"产业集群{n}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"日照测试企业{n}有限公司")
    uscc = factory.Sequence(valid_uscc)
    cluster = factory.SubFactory(ClusterFactory)
    industry = factory.LazyFunction(lambda: industry_code("39"))
    origin_region = "山东省日照市"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.LazyAttribute(lambda o: o.username)
    role = Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def pdf(name: str = "材料.pdf"):
    """A small file that passes the upload checks (a PDF by its magic bytes)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n%gaoxin test\n", "application/pdf")


def hand_in_materials(application, by, *, skip=()):
    """Upload a file for every listed material of the case's items, but those in ``skip``
    (names), as an applicant does before submitting online."""
    from gaoxin.affairs import services

    for item in application.items.all():
        for material in item.materials.all():
            if material.name not in skip:
                services.material_upload(
                    application=application,
                    upload=pdf(f"{material.name}.pdf"),
                    by=by,
                    material=material,
                )
