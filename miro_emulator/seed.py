"""The emulated organisation: two teams and five users (Ana is in both teams and is the default user)."""

ORGANIZATION = {"id": "3458764500000000001", "name": "Emulated Org"}

GROWTH_TEAM = "3458764500000000011"
PRODUCT_TEAM = "3458764500000000012"

TEAMS = [
    {"id": GROWTH_TEAM, "name": "Growth Team"},
    {"id": PRODUCT_TEAM, "name": "Product Team"},
]

USERS = [
    {
        "id": "3458764500000000101",
        "name": "Ana Alvarez",
        "email": "ana@example.com",
        "team_ids": [GROWTH_TEAM, PRODUCT_TEAM],
    },
    {"id": "3458764500000000102", "name": "Ben Brandt", "email": "ben@example.com", "team_ids": [GROWTH_TEAM]},
    {"id": "3458764500000000103", "name": "Chloé Chevalier", "email": "chloe@example.com", "team_ids": [GROWTH_TEAM]},
    {"id": "3458764500000000104", "name": "Dev Dixit", "email": "dev@example.com", "team_ids": [PRODUCT_TEAM]},
    {"id": "3458764500000000105", "name": "Eve Evans", "email": "eve@example.com", "team_ids": [PRODUCT_TEAM]},
]

DEFAULT_USER_ID = USERS[0]["id"]
