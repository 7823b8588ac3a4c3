"""dlt resources for the raw contract's tables, declared from src/devhealth/extract/raw_contract.yml.

Every source declares its contract tables with these: merged on the entity's key, and a column hint for each
other column, so that a column absent in a whole load (a provider that never sends author emails, a run not
finished yet) is still created with the contract's type.
"""

from __future__ import annotations

from typing import Any

import dlt

from devhealth.extract.raw_contract import dlt_hints, entities


def _table_hints(entity: str, dataset: str) -> dict[str, Any]:
    return {"primary_key": list(entities()[entity].key), "write_disposition": "merge",
            "columns": dlt_hints(entity, dataset)}


def contract_resource(entity: str, dataset: str, **options: Any) -> Any:
    """The `dlt.resource` decorator of table `<dataset>___<entity>`; `options` such as parallelized or selected."""
    return dlt.resource(name=entity, **_table_hints(entity, dataset), **options)


def contract_transformer(entity: str, dataset: str, data_from: Any, **options: Any) -> Any:
    """The `dlt.transformer` decorator of table `<dataset>___<entity>`, fed by the resource `data_from`."""
    return dlt.transformer(name=entity, data_from=data_from, **_table_hints(entity, dataset), **options)
