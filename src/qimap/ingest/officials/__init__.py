"""The officials' three public sources, read and checked (docs/officials.md): Open States people
(``openstates``), congress-legislators (``congress``) and ZIP code areas by congressional district
(``zccd``); a folder of all three as one snapshot, stored as one batch (``snapshot``); the
download (``update``) and the optional live look-up by point (``live``)."""
