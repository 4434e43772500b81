"""The demo catalog's departments: each module adds its departments' products to a
`Catalog` (pos/demo/products.py)."""
