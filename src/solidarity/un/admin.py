# UN engagement records are written through the un pages and services only, so
# that every write is audited and submissions and engagements go through the
# access seam; they have no admin.
