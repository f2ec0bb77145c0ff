"""Column-header names that usually hold each conversion field, as plain data for suggest.py.

Headers are compared after normalization (case folded, accents stripped, "#" read as "number",
punctuation, underscores and spaces removed), so "E-Mail-Adresse", "email_address" and
"Email Address" are all written here once in any readable spelling.

EXACT: field -> {header: score}. The score (0..1) says how surely a column of that exact name
holds the field; between two columns that both fit, the higher one wins ("Email" over
"Billing Email", "Total" over "Subtotal", "Created at" over "Paid at").
TOKENS: field -> ((words that must all appear in the header, score), ...) for headers not
listed exactly ("Work Email", "shipping_email", "Total (incl. tax)").
STEMS: field -> ((text inside the header written as one word, score), ...) for compound words
("Handynummer", "Rechnungsdatum").
NEGATIVE: field -> text that, found inside a non-exact header, rules the field out
("Updated at", "Shipping Total", "Geburtsdatum").
"""

from __future__ import annotations

# fmt: off
EXACT: dict[str, dict[str, float]] = {
    "conversion_time": {
        "conversion_time": 1.0, "conversion time": 1.0, "conversion date": 0.95,
        "event time": 0.95, "event date": 0.9, "created at": 0.95, "created": 0.9,
        "created date": 0.95, "created (utc)": 0.95, "created date (utc)": 0.95,
        "creation date": 0.9, "create date": 0.9, "date created": 0.95, "order date": 0.97,
        "order created": 0.95, "order time": 0.95, "order datetime": 0.95,
        "purchase date": 0.97, "purchase time": 0.95, "purchased at": 0.95,
        "transaction date": 0.95, "transaction time": 0.95, "sale date": 0.95,
        "close date": 0.96, "closed date": 0.96, "closed at": 0.9, "won date": 0.96,
        "won at": 0.97, "closed won at": 0.97, "date won": 0.96,
        "paid at": 0.85, "paid date": 0.85, "payment date": 0.85, "date paid": 0.85,
        "completed at": 0.8, "completed date": 0.8, "date completed": 0.8,
        "call date": 0.9, "call start": 0.85, "call started": 0.85, "start time": 0.75,
        "timestamp": 0.9, "datetime": 0.9, "date/time": 0.9, "date time": 0.9, "date": 0.85,
        "time": 0.6, "lead date": 0.85, "submitted at": 0.85, "submission date": 0.85,
        # German
        "Bestelldatum": 0.97, "Bestellzeit": 0.95, "Bestellt am": 0.95, "Kaufdatum": 0.97,
        "Datum": 0.85, "Erstellt am": 0.9, "Erstellungsdatum": 0.9, "Zeitpunkt": 0.85,
        "Zeitstempel": 0.9, "Auftragsdatum": 0.95, "Rechnungsdatum": 0.8,
        "Verkaufsdatum": 0.95, "Anrufdatum": 0.9,
        # French
        "Date de commande": 0.97, "Date commande": 0.97, "Date d'achat": 0.97,
        "Date de création": 0.9, "Date de la commande": 0.97, "Date de paiement": 0.85,
        "Date et heure": 0.9, "Date de vente": 0.95,
        # Spanish
        "Fecha": 0.85, "Fecha del pedido": 0.97, "Fecha de pedido": 0.97,
        "Fecha de compra": 0.97, "Fecha de creación": 0.9, "Fecha y hora": 0.9,
        "Fecha de venta": 0.95,
        # Italian
        "Data ordine": 0.97, "Data dell'ordine": 0.97, "Data acquisto": 0.97,
        "Data di acquisto": 0.97, "Data creazione": 0.9, "Data e ora": 0.9, "Data": 0.8,
        # Dutch
        "Besteldatum": 0.97, "Orderdatum": 0.97, "Aankoopdatum": 0.97, "Aanmaakdatum": 0.9,
        # Portuguese
        "Data do pedido": 0.97, "Data da compra": 0.97, "Data de criação": 0.9,
        "Data da venda": 0.95,
    },
    "event_id": {
        "event_id": 1.0, "event id": 1.0, "x event id": 1.0, "twitter event id": 1.0,
        "tw event id": 1.0, "pixel event id": 1.0,
    },
    "twclid": {
        "twclid": 1.0, "click id": 0.9, "x click id": 0.97, "twitter click id": 0.97,
        "tw click id": 0.97, "landing page url": 0.85, "landing page": 0.85,
        "landing url": 0.85, "landing site": 0.85, "page url": 0.7, "url": 0.65,
        "first page": 0.7, "entry page": 0.75, "referring site": 0.6, "landing site url": 0.85,
    },
    "email": {
        "email": 1.0, "e-mail": 1.0, "hashed_email": 1.0, "hashed email": 1.0,
        "email address": 1.0, "e-mail address": 1.0, "email_sha256": 0.97, "email hash": 0.97,
        "sha256 email": 0.97, "mail": 0.9, "customer email": 0.92, "contact email": 0.92,
        "buyer email": 0.92, "client email": 0.92, "user email": 0.9, "purchaser email": 0.92,
        "billing email": 0.85, "shipping email": 0.8,
        "from email address": 0.92, "payer email": 0.92, "sender email": 0.85,
        # German, French, Spanish, Italian, Dutch, Portuguese
        "E-Mail-Adresse": 1.0, "Mailadresse": 0.95, "Kunden-E-Mail": 0.92,
        "Courriel": 1.0, "Adresse e-mail": 1.0, "Adresse courriel": 1.0,
        "Adresse électronique": 0.95, "Correo electrónico": 1.0, "Correo": 0.9,
        "Indirizzo email": 1.0, "Indirizzo e-mail": 1.0, "Posta elettronica": 0.95,
        "E-mailadres": 1.0, "Endereço de e-mail": 1.0, "Endereço de email": 1.0,
    },
    "phone": {
        "phone": 1.0, "hashed_phone_number": 1.0, "hashed phone number": 1.0,
        "hashed phone": 1.0, "phone_sha256": 0.97, "phone hash": 0.97,
        "phone number": 0.97, "phone_number": 0.97, "telephone": 0.95, "tel": 0.9,
        "mobile": 0.88, "mobile phone": 0.88, "mobile phone number": 0.88,
        "mobile number": 0.88, "cell phone": 0.88, "cell": 0.85, "cellphone": 0.88,
        "customer phone": 0.92, "contact phone": 0.92, "buyer phone": 0.92,
        "billing phone": 0.85, "shipping phone": 0.8, "caller number": 0.92,
        "caller id": 0.9, "caller": 0.88, "calling number": 0.9, "caller phone": 0.92,
        "from number": 0.85, "ani": 0.85, "msisdn": 0.9,
        # German, French, Spanish, Italian, Dutch, Portuguese
        "Telefon": 0.97, "Telefonnummer": 0.97, "Tel.-Nr.": 0.9, "Handy": 0.88,
        "Handynummer": 0.88, "Mobil": 0.88, "Mobilnummer": 0.88, "Mobiltelefon": 0.88,
        "Téléphone": 0.97, "Numéro de téléphone": 0.97, "Portable": 0.85,
        "Teléfono": 0.97, "Número de teléfono": 0.97, "Móvil": 0.88, "Celular": 0.88,
        "Telefono": 0.97, "Numero di telefono": 0.97, "Cellulare": 0.88,
        "Telefoonnummer": 0.97, "Mobiel": 0.88, "Mobiel nummer": 0.88,
        "Telefone": 0.97, "Número de telefone": 0.97, "Telemóvel": 0.88,
    },
    "ip_address": {
        "ip_address": 1.0, "ip address": 1.0, "ip": 0.95, "customer ip address": 0.97,
        "customer ip": 0.97, "client ip": 0.95, "user ip": 0.95, "remote ip": 0.9,
        "browser ip": 0.95, "ip-adresse": 1.0, "adresse ip": 1.0, "dirección ip": 1.0,
        "indirizzo ip": 1.0, "ip-adres": 1.0, "endereço ip": 1.0,
    },
    "user_agent": {
        "user_agent": 1.0, "user agent": 1.0, "customer user agent": 0.97,
        "browser user agent": 0.97, "http user agent": 0.97, "ua": 0.85, "browser": 0.7,
    },
    "number_items": {
        "number_items": 1.0, "number of items": 0.97, "num items": 0.97, "item count": 0.95,
        "items count": 0.95, "total quantity": 0.95, "total items": 0.95, "quantity": 0.9,
        "qty": 0.9, "items": 0.8, "units": 0.8, "Menge": 0.9, "Anzahl": 0.9,
        "Stückzahl": 0.9, "Quantité": 0.9, "Cantidad": 0.9, "Quantità": 0.9, "Aantal": 0.9,
        "Quantidade": 0.9, "lineitem quantity": 0.8, "item quantity": 0.8, "item qty": 0.8,
        "product quantity": 0.8,
    },
    "price_currency": {
        "price_currency": 1.0, "currency": 0.95, "currency code": 0.95,
        "order currency": 0.97, "order currency code": 0.97, "ccy": 0.85,
        "Währung": 0.95, "Waehrung": 0.95,
        "Devise": 0.95, "Moneda": 0.95, "Divisa": 0.9, "Valuta": 0.95, "Moeda": 0.95,
    },
    "value": {
        "value": 0.9, "total": 0.95, "order total": 0.97, "grand total": 0.97,
        "grand total (purchased)": 0.95, "grand total (base)": 0.9, "total amount": 0.95,
        "order total amount": 0.97, "order value": 0.97, "conversion value": 0.97,
        "revenue": 0.92, "amount": 0.92, "sale value": 0.95, "sale amount": 0.95,
        "sales": 0.8, "order amount": 0.95, "transaction amount": 0.9, "price": 0.7,
        "subtotal": 0.6, "order subtotal": 0.6, "deal value": 0.95, "opportunity amount": 0.95,
        "gross": 0.9, "gross amount": 0.92, "total collected": 0.9, "gross sales": 0.8,
        "purchase value": 0.95,
        # German, French, Spanish, Italian, Dutch, Portuguese
        "Betrag": 0.92, "Gesamtbetrag": 0.97, "Gesamtsumme": 0.95, "Summe": 0.9,
        "Umsatz": 0.92, "Bestellwert": 0.97, "Rechnungsbetrag": 0.95, "Wert": 0.85,
        "Preis": 0.7, "Montant": 0.92, "Montant total": 0.95, "Total TTC": 0.97,
        "Total HT": 0.7, "Prix": 0.7, "Importe": 0.92, "Importe total": 0.95,
        "Precio": 0.7, "Importo": 0.92, "Totale": 0.95, "Prezzo": 0.7, "Bedrag": 0.92,
        "Totaal": 0.95, "Totaalbedrag": 0.97, "Prijs": 0.7, "Valor": 0.92,
        "Valor total": 0.95, "Preço": 0.7,
    },
    "conversion_id": {
        "conversion_id": 1.0, "conversion id": 1.0, "order id": 0.97, "order_id": 0.97,
        "order number": 0.95, "order no": 0.95, "order nr": 0.95, "order #": 0.95,
        "order": 0.8, "order reference": 0.92, "order ref": 0.92, "name": 0.9, "id": 0.8,
        "transaction id": 0.9, "transaction": 0.8, "opportunity id": 0.92, "deal id": 0.92,
        "record id": 0.9, "increment id": 0.95, "purchase id": 0.92, "sale id": 0.92,
        "booking id": 0.9, "booking reference": 0.9, "reservation id": 0.9,
        "invoice number": 0.75, "invoice id": 0.75, "receipt number": 0.7, "call id": 0.7,
        "charge id": 0.92, "payment id": 0.8,
        "invoice": 0.7, "receipt id": 0.7, "order name": 0.9,
        "lead id": 0.8,
        # German, French, Spanish, Italian, Dutch, Portuguese
        "Bestellnummer": 0.97, "Bestell-Nr.": 0.97, "Bestell-ID": 0.97,
        "Auftragsnummer": 0.95, "Rechnungsnummer": 0.75, "Numéro de commande": 0.97,
        "N° de commande": 0.97, "Référence": 0.8, "Référence de commande": 0.95,
        "Número de pedido": 0.97, "Nº de pedido": 0.97, "ID del pedido": 0.97,
        "Numero ordine": 0.97, "ID ordine": 0.97, "Ordernummer": 0.97, "Bestelnummer": 0.97,
        "Número do pedido": 0.97, "ID do pedido": 0.97,
    },
    "description": {
        # Never free text (notes, comments, messages): see FREE_TEXT below.
        "description": 0.9, "deal name": 0.7, "opportunity name": 0.7,
        "Beschreibung": 0.9, "Descripción": 0.9, "Descrizione": 0.9, "Omschrijving": 0.9,
        "Descrição": 0.9,
    },
    "content_id": {
        "content_id": 1.0, "content id": 1.0, "sku": 0.92, "lineitem sku": 0.95,
        "item sku": 0.95, "product sku": 0.95, "variant sku": 0.9, "product id": 0.92,
        "item id": 0.88, "variant id": 0.75, "product code": 0.9, "item code": 0.88,
        "article number": 0.9, "item number": 0.6, "ean": 0.75, "gtin": 0.75,
        "Artikelnummer": 0.92, "Artikel-Nr.": 0.92, "Art.-Nr.": 0.9, "Produkt-ID": 0.92,
        "Référence produit": 0.92, "Código de producto": 0.9, "Referencia del producto": 0.9,
        "Codice prodotto": 0.9, "Codice articolo": 0.9, "Productcode": 0.9,
        "Código do produto": 0.9,
    },
    "content_group_id": {
        "content_group_id": 1.0, "content group id": 1.0, "product group id": 0.95,
        "item group id": 0.95, "group id": 0.8, "product group": 0.85, "parent sku": 0.85,
        "parent id": 0.8, "Produktgruppe": 0.85,
    },
    "content_name": {
        "content_name": 1.0, "content name": 1.0, "lineitem name": 0.95, "item name": 0.92,
        "product name": 0.95, "product title": 0.92, "product": 0.85, "item": 0.7,
        "Produktname": 0.95, "Artikelname": 0.92, "Artikelbezeichnung": 0.92,
        "Artikel": 0.8, "Produkt": 0.85, "Nom du produit": 0.95, "Produit": 0.85,
        "Nombre del producto": 0.95, "Producto": 0.85, "Nome prodotto": 0.95,
        "Nome del prodotto": 0.95, "Prodotto": 0.85, "Productnaam": 0.95,
        "Nome do produto": 0.95, "Produto": 0.85,
    },
    "content_price": {
        "content_price": 1.0, "content price": 1.0, "lineitem price": 0.95,
        "item price": 0.92, "item cost": 0.88, "unit price": 0.92, "product price": 0.92,
        "price": 0.65, "Einzelpreis": 0.92, "Stückpreis": 0.92, "Preis": 0.65,
        "Prix unitaire": 0.92, "Prix": 0.65, "Precio unitario": 0.92, "Precio": 0.65,
        "Prezzo unitario": 0.92, "Prezzo": 0.65, "Stukprijs": 0.92, "Prijs": 0.65,
        "Preço unitário": 0.92, "Preço": 0.65,
    },
    "content_type": {
        "content_type": 1.0, "content type": 1.0, "category": 0.9, "product category": 0.95,
        "product type": 0.88, "item category": 0.92, "Kategorie": 0.9, "Catégorie": 0.9,
        "Categoría": 0.9, "Categoria": 0.9, "Categorie": 0.9,
    },
    "content_num_items": {
        "content_num_items": 1.0, "content quantity": 1.0, "num_items": 0.9,
        "lineitem quantity": 0.97, "item quantity": 0.95, "item qty": 0.95,
        "product quantity": 0.95, "quantity": 0.85, "qty": 0.85, "Menge": 0.85,
        "Anzahl": 0.85, "Stückzahl": 0.85, "Quantité": 0.85, "Cantidad": 0.85,
        "Quantità": 0.85, "Aantal": 0.85, "Quantidade": 0.85,
    },
}

TOKENS: dict[str, tuple[tuple[tuple[str, ...], float], ...]] = {
    "conversion_time": ((("timestamp",), 0.7), (("created",), 0.65), (("date",), 0.6),
                        (("datetime",), 0.65), (("fecha",), 0.6), (("time",), 0.55)),
    "twclid": ((("twclid",), 0.95), (("click", "id"), 0.8), (("landing",), 0.65)),
    "email": ((("email",), 0.7), (("mail",), 0.65), (("courriel",), 0.7),
              (("correo",), 0.65)),
    "phone": ((("phone",), 0.7), (("telephone",), 0.7), (("tel",), 0.6), (("mobile",), 0.6),
              (("cell",), 0.55), (("telefono",), 0.7), (("telefone",), 0.7)),
    "ip_address": ((("ip",), 0.7), (("ipv4",), 0.7), (("ipv6",), 0.7)),
    "user_agent": ((("user", "agent"), 0.75), (("useragent",), 0.75)),
    "number_items": ((("quantity",), 0.65), (("qty",), 0.65)),
    "price_currency": ((("currency",), 0.65),),
    "value": ((("total",), 0.65), (("amount",), 0.6), (("revenue",), 0.65),
              (("value",), 0.55)),
    "conversion_id": ((("order", "id"), 0.7), (("order", "number"), 0.7),
                      (("transaction", "id"), 0.6)),
    "description": ((("description",), 0.6),),
    "content_id": ((("sku",), 0.7), (("product", "id"), 0.65), (("item", "id"), 0.6)),
    "content_name": ((("product", "name"), 0.7), (("item", "name"), 0.65),
                     (("lineitem", "name"), 0.7)),
    "content_price": ((("lineitem", "price"), 0.7), (("item", "price"), 0.65),
                      (("unit", "price"), 0.65)),
    "content_type": ((("category",), 0.65),),
    "content_num_items": ((("lineitem", "quantity"), 0.75), (("item", "quantity"), 0.7),
                          (("item", "qty"), 0.7), (("quantity",), 0.6), (("qty",), 0.6)),
}

STEMS: dict[str, tuple[tuple[str, float], ...]] = {
    "conversion_time": (("datum", 0.6), ("fecha", 0.6), ("timestamp", 0.65)),
    "twclid": (("twclid", 0.95),),
    "email": (("email", 0.65), ("courriel", 0.65)),
    "phone": (("phone", 0.6), ("telefon", 0.65), ("handy", 0.55), ("mobilnummer", 0.6)),
    "user_agent": (("useragent", 0.7),),
    "value": (("betrag", 0.6), ("summe", 0.55), ("umsatz", 0.6)),
    "conversion_id": (("bestellnummer", 0.75), ("auftragsnummer", 0.75),
                      ("ordernummer", 0.75)),
    "content_id": (("artikelnummer", 0.7),),
    "content_name": (("produktname", 0.7), ("artikelname", 0.7)),
}

NEGATIVE: dict[str, tuple[str, ...]] = {
    "conversion_time": (
        "updat", "modif", "changed", "ship", "fulfil", "deliver", "birth", "dob", "due",
        "cancel", "refund", "expir", "last", "next", "dispute", "return", "captur", "settle",
        "payout", "available",
        "liefer", "versand", "geburt", "anderung", "aenderung", "storn", "livraison",
        "expedi", "naissance", "envio", "entrega", "nacimiento", "spedizione", "consegna",
        "nascita", "lever", "verzend", "geboorte", "nascimento", "duration", "dauer",
    ),
    "value": (
        "subtotal", "zwischensumme", "shipping", "versand", "tax", "steuer", "mwst", "vat",
        "discount", "rabatt", "refund", "erstatt", "fee", "gebuhr", "compare", "outstanding",
        "balance", "cost", "fraisdeport", "remise", "envio", "descuento", "sconto", "spedizione",
        "korting", "verzend", "frete", "desconto", "duty", "duties", "annual", "lifetime",
        "spent", "credit", "limit", "converted", "netto", "forecast", "expected", "weighted",
        "tip", "budget", "target", "quota",
    ),
    "phone": ("fax", "called", "dialed", "dialled", "tracking", "extension", "agent",
              "owner", "employee", "staff", "seller", "merchant", "support", "company"),
    "email": ("optin", "consent", "marketing", "verified", "subscri", "bounce", "toemail",
              "owner", "agent", "employee", "staff", "seller", "merchant", "assigned",
              "manager", "support", "empfanger", "receiver", "recipient"),
    "conversion_id": ("customer", "user", "device", "payment", "parent", "tax", "card",
                      "kunden", "reference", "txn", "account", "contact", "owner", "payer",
                      "buyer", "client", "member", "session", "visitor", "product", "item",
                      "sku", "variant", "location", "staff", "employee", "pipeline",
                      "campaign", "tracking", "shipment", "refund", "dispute", "balance",
                      "fingerprint", "payout", "transfer", "custom"),
    "price_currency": ("converted", "presentment", "settlement", "base"),
    "content_price": ("compare", "discount", "tax", "refund", "total"),
}

# Words of the value negatives above that a "tax included" marker cancels.
TAX_WORDS: tuple[str, ...] = ("tax", "steuer", "mwst", "vat")
# Text that cancels the value negatives above: "Total (incl. tax)", "Gesamtbetrag inkl. MwSt".
VALUE_TAX_INCLUDED: tuple[str, ...] = ("incl", "inkl", "ttc", "withtax", "gross", "brutto")

# Text inside a header that marks a SHA-256 column as a hashed phone number, not an email.
PHONE_HINTS: tuple[str, ...] = (
    "phone", "telefon", "telephon", "mobil", "handy", "cellular", "msisdn", "caller",
)

# First three letters of month names (accents stripped) in dates like "Mar 5, 2024", "5. Mai 2024".
MONTH_PREFIXES: frozenset[str] = frozenset((
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "mae",
    "mai", "okt", "dez", "fev", "avr", "aou", "jui", "ene", "abr", "ago", "dic", "gen", "mag",
    "giu", "lug", "set", "ott", "mrt", "mei", "out",
))

# Header words of a time-of-day column that sits beside a date column.
TIME_WORDS: tuple[str, ...] = (
    "time", "uhrzeit", "zeit", "heure", "hora", "ora", "tijd", "hour",
)

# Free text a person wrote (notes, comments, messages): it may name or describe people, so it
# is never sent as a description, a content name or a category. Compared with the compact
# header (no accents, case, spaces or punctuation) as "contains".
FREE_TEXT: tuple[str, ...] = (
    "note", "comment", "message", "memo", "remark", "bemerkung", "kommentar", "notiz",
    "nachricht", "anmerkung", "remarque", "commentaire", "observa", "nota", "comentario",
    "mensaje", "messaggio", "commento", "opmerking", "bericht", "mensagem", "instruction",
    "subject", "feedback", "reason", "body",
)

# Headers of a column giving each row's country (compact form, "contains"), and those that
# rule one out ("Country of origin" of a product, "Card Issue Country" is the bank's).
COUNTRY_WORDS: tuple[str, ...] = (
    "country", "land", "pays", "pais", "paese", "nation", "countrycode", "countryregion",
)
COUNTRY_NOT: tuple[str, ...] = (
    "origin", "manufactur", "issu", "currency", "ip", "landing", "island", "landline",
    "language", "sprache", "langue", "idioma", "lingua", "taal", "lingua", "flag",
)
# Words that tie a phone to an address: the phone and country with the same word go together.
ADDRESS_WORDS: tuple[str, ...] = (
    "billing", "bill", "shipping", "ship", "delivery", "invoice", "customer", "contact",
    "card", "buyer", "payer", "rechnung", "liefer", "versand", "facturation", "livraison",
    "facturacion", "envio",
)

# Headers of a column giving each row's time zone.
TIME_ZONE_HEADERS: frozenset[str] = frozenset((
    "timezone", "tz", "zone", "zeitzone", "fuseauhoraire", "zonahoraria", "fusoorario",
    "tijdzone", "fusohorario", "timezonename", "ianatimezone", "utcoffset", "offset",
))

# Headers of a column holding the refunded part of the value (compact form, exact).
REFUNDED_HEADERS: frozenset[str] = frozenset((
    "refunded", "refundedamount", "amountrefunded", "totalrefunded", "refundedtotal",
    "refundamount", "refundtotal", "orderrefundamount", "refunds", "refundedvalue",
    "erstattet", "erstatteterbetrag", "ruckerstattet", "ruckerstattung", "erstattungsbetrag",
    "montantrembourse", "rembourse", "remboursement", "importereembolsado", "reembolsado",
    "reembolso", "importorimborsato", "rimborsato", "terugbetaald", "reembolsadovalor",
    "totalrefundedbase", "totalrefundedpurchased",
))

# Headers of a status-like column whose values may say a row is not a sale (compact, exact
# or with a trailing qualifier: "Payment Status", "Order Status", "Statut de la commande").
STATUS_HEADERS: tuple[str, ...] = (
    "status", "state", "paymentstatus", "orderstatus", "financialstatus", "transactionstatus",
    "chargestatus", "stage", "stagename", "dealstage", "salesstage", "statut", "estado", "stato",
    "zahlungsstatus", "bestellstatus", "auftragsstatus", "etat", "statutdelacommande",
    "statutdupaiement", "estadodelpedido", "estadodelpago", "statoordine", "statopagamento",
    "situacao", "situacaodopagamento", "betaalstatus", "bestelstatus", "outcome", "result",
    "disposition", "eventtype", "type",
)

# Status values (accents stripped, case folded, "-", "_" read as spaces) that say a row is no
# sale; a value is matched when it is one of these or contains one as a word, unless it is
# partial ("Partially refunded" is a sale, less the refund).
NOT_A_SALE: frozenset[str] = frozenset((
    "failed", "failure", "fail", "refunded", "refund", "cancelled", "canceled", "cancel",
    "voided", "void", "declined", "pending", "reversed", "reversal", "denied", "expired",
    "abandoned", "unpaid", "chargeback", "disputed", "closed lost", "closedlost", "lost",
    "rejected", "incomplete", "uncaptured", "on hold", "awaiting payment", "draft",
    "checkout draft", "trash", "payment review", "suspected fraud", "fraud", "blocked",
    "requires payment method", "requires action", "authorized",
    # German
    "fehlgeschlagen", "erstattet", "ruckerstattet", "storniert", "abgebrochen", "ausstehend",
    "abgelehnt", "abgelaufen", "widerrufen", "zahlung ausstehend", "verloren",
    "in wartestellung", "unbezahlt",
    # French
    "echoue", "echec", "rembourse", "remboursee", "annule", "annulee", "refuse", "refusee",
    "en attente", "expire", "expiree", "abandonne", "abandonnee", "impaye", "perdu",
    # Spanish
    "fallido", "fallida", "reembolsado", "reembolsada", "cancelado", "cancelada", "anulado",
    "anulada", "rechazado", "rechazada", "pendiente", "expirado", "expirada", "abandonado",
    "abandonada", "denegado", "denegada", "perdido", "impago",
))
# Columns naming the conversion action or event of each row (Google's offline template,
# Meta's files, CRM activity exports), and the words of actions that are no purchase.
EVENT_NAME_HEADERS: tuple[str, ...] = (
    "conversionname", "conversionaction", "conversionactionname", "eventname", "event",
    "eventtype", "activitytype",
)
NOT_A_PURCHASE: frozenset[str] = frozenset((
    "lead", "leads", "qualified lead", "sign up", "signup", "registration",
    "complete registration", "subscribe", "subscription started", "add to cart", "addtocart",
    "initiate checkout", "initiatecheckout", "view content", "viewcontent", "page view",
    "pageview", "submit application", "start trial",
    "add payment info", "add to wishlist",
))
PARTIAL_WORDS: tuple[str, ...] = (
    "partial", "partially", "teilweise", "teilerstattet", "partiel", "partiellement",
    "parcial", "parcialmente", "parziale", "parzialmente", "gedeeltelijk",
)
# fmt: on
