"""Open data: the awards on the register of decisions as a 360Giving Data Standard package
(JSON, CSV and XLSX) and the Local Government Transparency Code 2015 registers of grants
and of contracts and invitations to tender, made from the database and cached.

- `records`: reads (selectors) — each award and invitation to tender as a record.
- `formats`: the files written from the records.
- `publish`: the files, cached, and forgetting them when something is published.
- `signals`: connects forgetting to saves (imported by `ProcurementConfig.ready`).
"""
