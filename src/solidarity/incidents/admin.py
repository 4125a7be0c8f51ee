# Incidents are documented through the incident pages and services only, so that
# every read and write goes through the access seam; they have no admin.
