from tests.matrix import Row, signed_in

ROWS = [
    Row("providers:home", "/organisations/", signed_in(200)),
]
