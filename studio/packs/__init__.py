"""Pack designs (Kemasan): wrap labels, header cards, boxes and pouch stickers made from the
product's label design on a pack size (``services``), their net, print PDF and mockup pictures and
the admin's pack sizes (``views``), and the ``packs`` / ``render-pack`` commands.

The producer's step page (``wizard.pack``) stays in the wizard (it shows the wizard's progress) and
calls these services; pack designs are ``designs.models.Design`` rows with a pack ``kind``."""
