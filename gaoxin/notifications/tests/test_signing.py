"""Request signing checked byte for byte against the providers' documented examples."""

import base64
import hashlib
import hmac
import urllib.parse

from gaoxin.notifications.channels import aliyun, dingtalk, tencent

# Alibaba Cloud SMS, "签名机制" (SendSms example; AccessKeyId testId, secret testSecret).
ALIYUN_DOC_PARAMS = {
    "AccessKeyId": "testId",
    "Action": "SendSms",
    "Format": "XML",
    "OutId": "123",
    "PhoneNumbers": "15300000001",
    "RegionId": "cn-hangzhou",
    "SignName": "阿里云短信测试专用",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
    "SignatureVersion": "1.0",
    "TemplateCode": "SMS_71390007",
    "TemplateParam": '{"customer":"test"}',
    "Timestamp": "2017-07-12T02:42:19Z",
    "Version": "2017-05-25",
}
ALIYUN_DOC_STRING_TO_SIGN = (
    "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123"
    "%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF"
    "%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8%25AF"
    "%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce"
    "%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode"
    "%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D"
    "%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25"
)
ALIYUN_DOC_URL = (
    "http://dysmsapi.aliyuncs.com/?Signature=zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D"
    "&AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123&PhoneNumbers=15300000001"
    "&RegionId=cn-hangzhou&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B"
    "%E8%AF%95%E4%B8%93%E7%94%A8&SignatureMethod=HMAC-SHA1"
    "&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&SignatureVersion=1.0"
    "&TemplateCode=SMS_71390007&TemplateParam=%7B%22customer%22%3A%22test%22%7D"
    "&Timestamp=2017-07-12T02%3A42%3A19Z&Version=2017-05-25"
)


def test_aliyun_string_to_sign_is_the_documented_one():
    assert aliyun.string_to_sign(ALIYUN_DOC_PARAMS) == ALIYUN_DOC_STRING_TO_SIGN


def test_aliyun_signature_is_the_documented_one():
    assert aliyun.signature(ALIYUN_DOC_PARAMS, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_aliyun_request_url_is_the_documented_one():
    assert (
        aliyun.signed_url("http://dysmsapi.aliyuncs.com", ALIYUN_DOC_PARAMS, "testSecret")
        == ALIYUN_DOC_URL
    )


def test_aliyun_rpc_signature_matches_the_describe_regions_example():
    # The general RPC "签名机制" page's example (DescribeRegions, testid / testsecret).
    params = {
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "Format": "XML",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "SignatureVersion": "1.0",
        "Timestamp": "2016-02-23T12:46:24Z",
        "Version": "2014-05-26",
    }
    assert aliyun.signature(params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_aliyun_percent_encoding_follows_rfc_3986():
    assert aliyun.percent_encode("a b*~") == "a%20b%2A~"
    assert aliyun.percent_encode("派") == "%E6%B4%BE"


# Tencent Cloud API 3.0, "签名方法 v3" (CVM DescribeInstances example).
TENCENT_DOC_PAYLOAD = (
    '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
)
TENCENT_DOC_CANONICAL = (
    "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n"
    "content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
)
TENCENT_DOC_STRING_TO_SIGN = (
    "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
    "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
)
TENCENT_DOC_AUTHORIZATION = (
    "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request,"
    " SignedHeaders=content-type;host,"
    " Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
)


def test_tencent_canonical_request_is_the_documented_one():
    assert (
        tencent.canonical_request(payload=TENCENT_DOC_PAYLOAD, host="cvm.tencentcloudapi.com")
        == TENCENT_DOC_CANONICAL
    )


def test_tencent_string_to_sign_is_the_documented_one():
    assert (
        tencent.string_to_sign(timestamp=1551113065, service="cvm", canonical=TENCENT_DOC_CANONICAL)
        == TENCENT_DOC_STRING_TO_SIGN
    )


def test_tencent_credential_date_is_utc_not_beijing_time():
    # 1551113065 is 2019-02-26 00:44 in Beijing but 2019-02-25 in UTC, as the docs warn.
    assert tencent.credential_scope(1551113065, "sms") == "2019-02-25/sms/tc3_request"


def test_tencent_authorization_is_the_documented_one():
    assert (
        tencent.authorization(
            secret_id="AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            secret_key="Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
            timestamp=1551113065,
            service="cvm",
            host="cvm.tencentcloudapi.com",
            payload=TENCENT_DOC_PAYLOAD,
        )
        == TENCENT_DOC_AUTHORIZATION
    )


def documented_dingtalk_sign(timestamp: str, secret: str) -> str:
    """DingTalk's own sample (自定义机器人 "加签", Python 3), as published."""
    secret_enc = secret.encode("utf-8")
    string_to_sign = f"{timestamp}\n{secret}"
    string_to_sign_enc = string_to_sign.encode("utf-8")
    hmac_code = hmac.new(secret_enc, string_to_sign_enc, digestmod=hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(hmac_code))


def test_dingtalk_robot_sign_is_the_documented_recipe():
    for timestamp, secret in [
        (1577262236757, "this is secret"),
        (1700000000000, "SEC1a2b3c4d5e6f+/="),
    ]:
        assert dingtalk.robot_sign(timestamp, secret) == documented_dingtalk_sign(
            str(timestamp), secret
        )


def test_dingtalk_signed_url_appends_timestamp_and_sign():
    url = dingtalk.signed_robot_url(
        "https://oapi.dingtalk.com/robot/send?access_token=abc", "this is secret", 1577262236757
    )
    assert url == (
        "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1577262236757&sign="
        + documented_dingtalk_sign("1577262236757", "this is secret")
    )
    assert dingtalk.signed_robot_url("https://x/robot?access_token=abc", "") == (
        "https://x/robot?access_token=abc"
    )
