"""Going live at a hub: the demo banner and "hapus data demo", the setup checklist, backups that
restore, and the plain log page. The last feature: it may import every feature before it."""
