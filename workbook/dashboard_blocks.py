"""Where the dashboard sheet's values go: the fixed blocks a refresh writes.

The dashboard's layout is fixed (see :mod:`workbook.dashboard_sheet`, which builds it): a
refresh writes values into these blocks and nothing else, so the charts, which point at them,
follow every refresh in every store. Tables hold a fixed number of rows (the top causes and
groups, the rest summed as "other"), so a chart's range never has to grow. No openpyxl here:
the live-Excel store and the statistics service import this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbook.store import CellBlock

# The defined name that marks a workbook whose dashboard sheet has this layout.
NAME_DASHBOARD = "OrderDesk_Dashboard"
TOP_N = 5  # causes and product groups shown one by one; the rest are summed as "other"
MONTHS = 12
AGE_BUCKETS = 5

PERCENT, INTEGER = "0.0%", "#,##0"


@dataclass(frozen=True)
class Block:
    """A rectangle the refresh writes: ``rows`` × ``cols`` cells from (``top``, ``left``)."""

    top: int
    left: int
    rows: int
    cols: int
    formats: tuple[str | None, ...] = ()  # number format of each column, if any


@dataclass(frozen=True)
class Tile:
    key: str
    col: int  # first of its two columns


@dataclass(frozen=True)
class TableSpec:
    key: str
    title_row: int
    block: Block
    headers: tuple[str, ...]  # catalogue keys of the header cells


TILES = tuple(
    Tile(key, 2 + 2 * i)
    for i, key in enumerate(("orders", "sales", "on_time", "quality", "complaints", "overdue"))
)
TILE_LABEL_ROW, TILE_VALUE_ROW, TILE_DETAIL_ROW = 4, 5, 7
TABLE_COL = 15  # column O: the tables, right of the charts
TABLES: dict[str, TableSpec] = {
    spec.key: spec
    for spec in (
        TableSpec(
            "trend",
            9,
            Block(11, TABLE_COL, MONTHS, 6, (None, INTEGER, INTEGER, PERCENT, PERCENT, PERCENT)),
            ("month", "orders", "sales", "on_time", "quality", "complaints"),
        ),
        TableSpec(
            "delays",
            25,
            Block(27, TABLE_COL, TOP_N + 1, 4, (None, INTEGER, INTEGER, PERCENT)),
            ("cause", "entries", "orders", "cumulative"),
        ),
        TableSpec(
            "rejections",
            34,
            Block(36, TABLE_COL, TOP_N + 1, 3, (None, INTEGER, INTEGER)),
            ("cause", "rejected", "entries"),
        ),
        TableSpec(
            "mix",
            43,
            Block(45, TABLE_COL, TOP_N + 1, 3, (None, INTEGER, PERCENT)),
            ("group", "sales", "share"),
        ),
        TableSpec(
            "backlog",
            52,
            Block(54, TABLE_COL, AGE_BUCKETS, 3, (None, INTEGER, INTEGER)),
            ("age", "open", "overdue"),
        ),
    )
}
HEADING = Block(2, 2, 1, 11)  # the period (B2) and when and by whom refreshed (H2)
LAST_ROW, LAST_COL = 58, TABLE_COL + 5


def tile_value(tile: Tile) -> Block:
    fmt = PERCENT if tile.key in ("on_time", "quality", "complaints") else INTEGER
    return Block(TILE_VALUE_ROW, tile.col, 1, 1, (fmt,))


def tile_detail(tile: Tile) -> Block:
    return Block(TILE_DETAIL_ROW, tile.col, 1, 1)


def blocks() -> dict[str, Block]:
    """Every block a refresh writes, by name: ``heading``, ``tile.<key>``,
    ``tile.<key>.detail`` and the tables' keys."""
    out = {"heading": HEADING}
    for tile in TILES:
        out[f"tile.{tile.key}"] = tile_value(tile)
        out[f"tile.{tile.key}.detail"] = tile_detail(tile)
    out.update({key: spec.block for key, spec in TABLES.items()})
    return out


def cell_blocks(values: dict[str, list[list[Any]]]) -> list[CellBlock]:
    """The named blocks' values placed on the sheet, each padded with blanks to its full size so
    that a refresh clears what a longer earlier one left."""
    known = blocks()
    out: list[CellBlock] = []
    for key, rows in values.items():
        block = known[key]
        if len(rows) > block.rows or any(len(row) > block.cols for row in rows):
            raise ValueError(f"dashboard block {key!r} holds {block.rows}×{block.cols} cells")
        padded = [list(row) + [None] * (block.cols - len(row)) for row in rows]
        padded += [[None] * block.cols for _ in range(block.rows - len(rows))]
        out.append(CellBlock(block.top, block.left, padded))
    return out
