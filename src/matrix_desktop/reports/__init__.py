"""Reports: reportlab document builders."""
