"""Certificate rendering speed: median and p95 for one certificate, certificates per second in
a batch of 1,000, and the file size. Every certificate has its own code and QR code.

    .venv/bin/python -m bench.certificate
"""

import datetime
import os
import statistics
import sys
import time
from dataclasses import replace
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django

django.setup()

from certification.certificate.render import CertificateData, render_certificate_pdf  # noqa: E402
from certification.codes import make_label_code  # noqa: E402

SAMPLE = CertificateData(
    language="nl",
    code="",
    issuer="SE-label certificatie",
    enterprise_name="De Groene Schakel",
    enterprise_number="0812.345.603",
    recognition="maatwerkbedrijf, erkenning MWB-2019-0142",
    product_name="Biologische confituur van Gentse aardbeien",
    product_kind="product",
    category="Voeding",
    level=3,
    social_share=Decimal("82.50"),
    scheme="SE-LABEL 2026.1",
    scheme_url="http://127.0.0.1:8000/schemes/2026.1/",
    level_min_share=Decimal(75),
    issued_on=datetime.date(2026, 11, 27),
    valid_until=datetime.date(2029, 11, 27),
    verify_url="",
    key_id="C6VhrqCHnvQRZ-8ZCotgVtfp28yvyTqBPdOWdfWTeyA",
)


def certificate(code: str) -> CertificateData:
    return replace(SAMPLE, code=code, verify_url=f"https://label.example.be/verify/{code}/")


def main(singles: int = 300, batch: int = 1000) -> None:
    render_certificate_pdf(certificate(make_label_code()))  # fonts registered, caches warm
    timings = []
    sizes = []
    for _ in range(singles):
        data = certificate(make_label_code())
        start = time.perf_counter()
        pdf = render_certificate_pdf(data)
        timings.append(time.perf_counter() - start)
        sizes.append(len(pdf))
    timings.sort()
    batch_data = [certificate(make_label_code()) for _ in range(batch)]
    start = time.perf_counter()
    for data in batch_data:
        render_certificate_pdf(data)
    elapsed = time.perf_counter() - start

    print(f"certificates rendered one by one: {singles}")
    print(f"  median  {statistics.median(timings) * 1000:6.2f} ms   (target < 10 ms)")
    print(f"  p95     {timings[int(len(timings) * 0.95)] * 1000:6.2f} ms")
    print(f"batch of {batch}: {batch / elapsed:6.1f} certificates/s on one core ({elapsed:.2f} s)")
    median, largest = statistics.median(sizes) / 1024, max(sizes) / 1024
    print(f"file size: median {median:.1f} KB, largest {largest:.1f} KB (target < 100 KB)")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
