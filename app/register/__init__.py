"""The register of decisions: per class, school-wide for the head, searchable, exportable, tamper-evident."""
