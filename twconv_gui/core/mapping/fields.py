"""The conversion fields a mapping can fill, and how each travels in the API payload."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A field users can map. `label` and `help` are shown in the UI and the CLI."""

    name: str
    label: str
    help: str
    required: bool = False
    is_identifier: bool = False
    is_content: bool = False
    # A helper column is read to build other fields (a phone's country, the time of day of a
    # date column, a row's time zone, the refunded part of the value); it is never sent.
    is_helper: bool = False


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("conversion_time", "Conversion time", "When the sale happened", required=True),
    FieldSpec("event_id", "Event id", "The X event (base-36 id or tw-pixel-event)", required=True),
    FieldSpec(
        "twclid", "Click id (twclid)", "X click id, or a landing URL holding it", is_identifier=True
    ),
    FieldSpec("email", "Email", "Raw email or its SHA-256", is_identifier=True),
    FieldSpec("phone", "Phone", "Raw phone number or its SHA-256", is_identifier=True),
    FieldSpec("ip_address", "IP address", "Sent together with the user agent", is_identifier=True),
    FieldSpec("user_agent", "User agent", "Sent together with the IP address", is_identifier=True),
    FieldSpec("number_items", "Number of items", "Positive whole number"),
    FieldSpec("price_currency", "Currency", "ISO 4217 code such as USD or EUR"),
    FieldSpec("value", "Value", "Order value, e.g. 1,234.50 or 1.234,50"),
    FieldSpec("conversion_id", "Conversion id", "Order id; de-duplicates with the pixel"),
    FieldSpec("description", "Description", "Free text"),
    FieldSpec("content_id", "Content id", "Product id (SKU)", is_content=True),
    FieldSpec("content_group_id", "Content group id", "Product group id", is_content=True),
    FieldSpec("content_name", "Content name", "Product name", is_content=True),
    FieldSpec("content_price", "Content price", "Price of the product", is_content=True),
    FieldSpec("content_type", "Content type", "Product category", is_content=True),
    FieldSpec("content_num_items", "Content quantity", "Quantity of the product", is_content=True),
    FieldSpec(
        "phone_country",
        "Phone country",
        "Country of each row (code or name), for phones written without +",
        is_helper=True,
    ),
    FieldSpec(
        "time_of_day",
        "Time of day",
        "Time column, when the conversion time column holds only the date",
        is_helper=True,
    ),
    FieldSpec(
        "time_zone",
        "Time zone",
        "Each row's time zone (Europe/Berlin, +01:00, PST) for times without one",
        is_helper=True,
    ),
    FieldSpec(
        "refunded_value",
        "Refunded amount",
        "Refunded part of the value: net value sent, full refunds left out",
        is_helper=True,
    ),
)

FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
FIELDS_BY_NAME: dict[str, FieldSpec] = {f.name: f for f in FIELDS}
IDENTIFIER_FIELDS: frozenset[str] = frozenset(f.name for f in FIELDS if f.is_identifier)
CONTENT_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.is_content)
HELPER_FIELDS: frozenset[str] = frozenset(f.name for f in FIELDS if f.is_helper)
# Helper fields that only mean something beside the field they help.
HELPS: dict[str, str] = {
    "phone_country": "phone",
    "time_of_day": "conversion_time",
    "time_zone": "conversion_time",
    "refunded_value": "value",
}
