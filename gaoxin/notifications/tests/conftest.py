"""Local stand-ins for the providers (pytest-httpserver: real HTTP on 127.0.0.1) and a
person with every address on the profile."""

import pytest

from gaoxin.notifications.models import Preference


@pytest.fixture
def providers(settings, httpserver):
    """Every channel configured, every base URL pointing at the local stand-in."""
    settings.SMS_PROVIDER = "aliyun"
    settings.SMS_SIGN_NAME = "高新区"
    settings.SMS_TEMPLATES = {}
    settings.ALIYUN_SMS_ENDPOINT = httpserver.url_for("/aliyun")
    settings.ALIYUN_SMS_ACCESS_KEY_ID = "testId"
    settings.ALIYUN_SMS_SECRET = "testSecret"
    settings.TENCENT_SMS_ENDPOINT = httpserver.url_for("/tencent/")
    settings.TENCENT_SMS_HOST = "sms.tencentcloudapi.com"
    settings.TENCENT_SMS_SECRET_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
    settings.TENCENT_SMS_SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
    settings.TENCENT_SMS_SDK_APP_ID = "1400000000"
    settings.WECOM_BASE_URL = httpserver.url_for("/wecom")
    settings.WECOM_CORP_ID = "ww0001"
    settings.WECOM_AGENT_ID = "1000002"
    settings.WECOM_SECRET = "wecom-secret"
    settings.DINGTALK_BASE_URL = httpserver.url_for("/dingtalk")
    settings.DINGTALK_APP_KEY = "ding-key"
    settings.DINGTALK_APP_SECRET = "ding-secret"
    settings.DINGTALK_AGENT_ID = "2000001"
    settings.NOTIFY_BY_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFY_QUIET_HOURS = None
    settings.NOTIFY_HTTP_TIMEOUT = 1
    settings.SITE_URL = "https://zone.example"
    return httpserver


@pytest.fixture
def person(staff):
    staff.phone = "13800138000"
    staff.email = "li@example.org"
    staff.save()
    Preference.objects.create(user=staff, wecom_user_id="LiSi", dingtalk_user_id="manager4220")
    return staff
