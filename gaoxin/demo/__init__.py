"""The demo zone and the synthetic data generator, above every domain app.

`manage.py seed_demo` loads the reference zone (日照高新区) from each app's own ``demo.py``;
`manage.py generate_data` fills a large, reproducible zone for the benchmark. No app imports
this package.
"""

__all__: list[str] = []
