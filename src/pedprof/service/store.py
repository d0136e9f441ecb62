"""The store's operations, in terms of the application layer.

Uploads are read and validated by :func:`pedprof.read_submissions` (so the readers'
size, zip-bomb and encryption checks apply) against the profile's register of units held
in the store; what it accepts is kept per submission version. A :class:`pedprof.Monitoring`
for a profile is rebuilt from the current versions whenever the store has changed, and
every step (results, analysis, rating, report …) goes through it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from pedprof.app import Monitoring
from pedprof.io import CheckResult, Limits, dataset_submissions, read_submissions
from pedprof.io import submission_register as build_submission_register
from pedprof.model.data import Dataset
from pedprof.model.profile import Profile
from pedprof.plugins import get_profile
from pedprof.service.actors import Actor, Units
from pedprof.service.db import aware, session_scope
from pedprof.service.models import (
    AcceptedRows,
    Campaign,
    CycleDocument,
    MeasureSet,
    RoadmapStatusSet,
    StoredFile,
    SubmissionVersion,
    UnitRegister,
    utcnow,
)
from pedprof.service.problems import Conflict, Forbidden, NotFound, Unprocessable

__all__ = ["REFERENCE_TABLES", "Store", "frame_records", "records_frame"]

#: The tables of the register of units.
REFERENCE_TABLES = ("regions", "municipalities", "organizations")

_SUFFIXES = {".xlsx", ".xlsm", ".ods", ".csv", ".txt", ".tsv", ".xls", ".xlsb"}


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame`` as JSON-ready records (missing values → ``null``, dates ISO 8601)."""
    if frame.empty:
        return []
    return json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))


def records_frame(records: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Records back into a frame (types are restored by the profile's validation)."""
    return pd.DataFrame.from_records(list(records))


def _one_organization(reference: Dataset, org_id: str) -> Dataset:
    """The register reduced to one organisation, its municipality and region."""
    orgs = reference.organizations[reference.organizations["org_id"].astype(str) == org_id]
    munis = reference.municipalities[
        reference.municipalities["municipality_id"].isin(orgs["municipality_id"])
    ]
    regions = reference.regions[reference.regions["region_id"].isin(munis["region_id"])]
    return attrs.evolve(reference, organizations=orgs, municipalities=munis, regions=regions)


def _naive_utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(tzinfo=None)


class Store:
    """The store of one service: sessions, and the monitoring rebuilt from stored rows.

    :param factory: the session factory.
    :param max_upload_bytes: the largest file read.
    :param tmp_dir: where uploads are written for the readers (deleted after reading).
    """

    def __init__(self, factory: sessionmaker[Session], *, max_upload_bytes: int, tmp_dir: Path):
        self.factory = factory
        self.max_upload_bytes = max_upload_bytes
        self.tmp_dir = tmp_dir
        self._lock = threading.Lock()
        self._monitoring: dict[str, tuple[tuple[Any, ...], Monitoring]] = {}
        self._registers: dict[str, tuple[int, Dataset, Units]] = {}

    # ------------------------------------------------------------------ profiles

    @staticmethod
    def profile(profile_id: str) -> Profile:
        """The installed profile.

        :raises NotFound: no such profile.
        """
        try:
            return get_profile(profile_id)
        except LookupError as exc:
            raise NotFound(f"Профиль «{profile_id}» не установлен.") from exc

    # ------------------------------------------------------------------ the register

    def put_register(
        self,
        profile: Profile,
        actor: Actor,
        *,
        filename: str,
        content: bytes | None,
        tables: Mapping[str, pd.DataFrame] | None = None,
    ) -> tuple[UnitRegister, CheckResult]:
        """Read a register of units (a ``register`` form, CSV or JSON tables) and keep it
        as the profile's current register.

        :raises Unprocessable: it has no organisations, or rows were rejected.
        """
        received = utcnow()
        result = self._read(profile, filename, content, tables, reference=None, received=received)
        if result.dataset is None or result.dataset.organizations.empty:
            raise Unprocessable(
                "В реестре нет организаций: загрузите форму реестра (организации, "
                "муниципалитеты, регионы). " + result.summary()
            )
        if not result.ok:
            raise Unprocessable("Реестр содержит ошибки. " + result.summary())
        data = result.dataset
        stored = {
            "organizations": frame_records(data.organizations),
            "municipalities": frame_records(data.municipalities),
            "regions": frame_records(data.regions),
        }
        if actor.role == "region" and actor.region_id:
            foreign = {r["region_id"] for r in stored["regions"]} - {actor.region_id}
            if foreign:
                raise Forbidden("Реестр содержит регионы, к которым у вас нет доступа.")
        elif actor.role != "region":
            raise Forbidden("Реестр организаций загружает региональный методист.")
        with session_scope(self.factory) as s:
            file = self._file(s, filename, content, actor, received, tables)
            row = UnitRegister(
                profile_id=profile.id,
                file_id=None if file is None else file.id,
                received_at=received,
                uploader=actor.label,
                tables=stored,
            )
            s.add(row)
        return row, result

    def register(self, profile: Profile) -> tuple[Dataset, Units] | None:
        """The profile's current register of units as an empty dataset and a hierarchy."""
        with self.factory() as s:
            row = s.scalars(
                select(UnitRegister)
                .where(UnitRegister.profile_id == profile.id)
                .order_by(UnitRegister.received_at.desc(), UnitRegister.id.desc())
                .limit(1)
            ).first()
        if row is None:
            return None
        cached = self._registers.get(profile.id)
        if cached is not None and cached[0] == row.id:
            return cached[1], cached[2]
        frames = {k: records_frame(row.tables.get(k, [])) for k in REFERENCE_TABLES}
        data = Dataset.from_frames(
            profile,
            {},
            regions=frames["regions"],
            municipalities=frames["municipalities"],
            organizations=frames["organizations"],
        )
        units = Units(
            org_municipality=dict(
                zip(
                    data.organizations["org_id"].astype(str),
                    data.organizations["municipality_id"].astype(str),
                    strict=True,
                )
            ),
            municipality_region=dict(
                zip(
                    data.municipalities["municipality_id"].astype(str),
                    data.municipalities["region_id"].astype(str),
                    strict=True,
                )
            ),
        )
        self._registers[profile.id] = (row.id, data, units)
        return data, units

    def units(self, profile: Profile) -> Units:
        """The hierarchy of the current register (empty when there is none)."""
        reg = self.register(profile)
        return Units() if reg is None else reg[1]

    # ------------------------------------------------------------------ campaigns

    def campaign(self, campaign_id: int) -> Campaign:
        """The campaign.

        :raises NotFound: no such campaign.
        """
        with self.factory() as s:
            campaign = s.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFound(f"Кампания сбора № {campaign_id} не найдена.")
        return campaign

    # ------------------------------------------------------------------ submissions

    def _read(
        self,
        profile: Profile,
        filename: str,
        content: bytes | None,
        tables: Mapping[str, pd.DataFrame] | None,
        *,
        reference: Dataset | None,
        received: dt.datetime,
        periods: Sequence[str] | None = None,
    ) -> CheckResult:
        limits = Limits(max_file_bytes=self.max_upload_bytes)
        when = _naive_utc(received)
        if tables is not None:
            return read_submissions(
                profile,
                dict(tables),
                reference=reference,
                periods=periods,
                limits=limits,
                received=when,
            )
        assert content is not None
        name = Path(filename).name or "upload"
        if Path(name).suffix.lower() not in _SUFFIXES:
            raise Unprocessable(
                f"Файл «{name}» не принят: загрузите форму .xlsx или .ods либо таблицу .csv.",
                what=f"расширение «{Path(name).suffix}»",
                expected=".xlsx, .ods, .csv",
            )
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.tmp_dir) as tmp:
            path = Path(tmp) / name
            path.write_bytes(content)
            return read_submissions(
                profile,
                [path],
                reference=reference,
                periods=periods,
                limits=limits,
                received=when,
            )

    @staticmethod
    def _file(
        s: Session,
        filename: str,
        content: bytes | None,
        actor: Actor,
        received: dt.datetime,
        tables: Mapping[str, pd.DataFrame] | None,
    ) -> StoredFile | None:
        if content is None and tables is not None:
            payload = {k: frame_records(v) for k, v in tables.items()}
            content = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
            filename = filename or "rows.json"
        if content is None:
            return None
        file = StoredFile(
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            filename=Path(filename).name[:300],
            uploader=actor.label,
            received_at=received,
            content=content,
        )
        s.add(file)
        s.flush()
        return file

    def submit(
        self,
        campaign: Campaign,
        actor: Actor,
        *,
        filename: str,
        content: bytes | None = None,
        tables: Mapping[str, pd.DataFrame] | None = None,
    ) -> tuple[SubmissionVersion, CheckResult]:
        """Read, validate and keep one unit's submission for ``campaign``.

        The file is kept as received; a new version is added (an earlier one is
        superseded, never changed). Everything is written in one transaction, so a failure
        leaves nothing half-written.

        :raises Conflict: the campaign is closed, or there is no register yet.
        :raises Forbidden: the file is for a unit the actor may not submit for.
        :raises Unprocessable: the file names several units or other periods.
        """
        received = utcnow()
        if not campaign.is_open:
            raise Conflict(f"Сбор сведений за {campaign.period} закрыт.")
        profile = self.profile(campaign.profile_id)
        reg = self.register(profile)
        if reg is None:
            raise Conflict(
                f"Для профиля «{profile.id}» не загружен реестр организаций: его загружает "
                "региональный методист до начала сбора."
            )
        reference, units = reg
        if actor.role == "organization" and actor.org_id:
            # A link uploads for one organisation: judging the file against that one
            # register row keeps an upload's cost independent of the region's size.
            reference = _one_organization(reference, actor.org_id)
        result = self._read(
            profile,
            filename,
            content,
            tables,
            reference=reference,
            received=received,
            periods=[campaign.period],
        )
        keyed = result.rows.dropna(subset=["unit_id"])
        found = sorted({str(u) for u in keyed["unit_id"] if str(u)})
        periods = sorted({str(p) for p in keyed["period"].dropna()} - {campaign.period})
        if periods:
            raise Unprocessable(
                f"Файл содержит сведения за {', '.join(periods)}, а сбор открыт за "
                f"{campaign.period}.",
                what=", ".join(periods),
                expected=campaign.period,
            )
        if len(found) > 1:
            raise Unprocessable(
                "Файл содержит сведения нескольких организаций или муниципалитетов "
                f"({', '.join(found)}): загрузите отдельный файл для каждой.",
                what=", ".join(found),
                expected="одна организация (муниципалитет) в файле",
            )
        unit = found[0] if found else (actor.org_id or "")
        level = "municipality" if unit in units.municipality_region else "organization"
        if actor.role == "organization":
            if unit != actor.org_id or actor.campaign_id != campaign.id:
                raise Forbidden(
                    "Файл содержит сведения другой организации: по этой ссылке принимаются "
                    "только сведения вашей организации.",
                    what=unit,
                    expected=str(actor.org_id),
                )
        elif not actor.is_staff or (unit and not actor.sees(level, unit, units)):
            raise Forbidden(f"Нет доступа к сведениям «{unit}».")
        if not unit:
            raise Unprocessable(
                "В файле не найдено ни одной строки сведений с кодом организации. "
                + result.summary()
            )
        status = "accepted" if result.ok else ("partial" if result.accepted else "rejected")
        check = {
            "errors": frame_records(result.errors),
            "counts": frame_records(result.counts),
            "files": frame_records(result.files),
        }
        data = result.dataset
        with session_scope(self.factory) as s:
            file = self._file(s, filename, content, actor, received, tables)
            version = SubmissionVersion(
                campaign_id=campaign.id,
                profile_id=profile.id,
                period=campaign.period,
                level=level,
                unit_id=unit,
                municipality_id=units.municipality_of(level, unit) or "",
                file_id=None if file is None else file.id,
                received_at=received,
                uploader=actor.label,
                status=status,
                submitted=result.submitted,
                accepted=result.accepted,
                rejected=result.rejected,
                summary=result.summary(),
                check=check,
            )
            s.add(version)
            s.flush()
            if data is not None:
                for name, frame in data.tables.items():
                    if len(frame):
                        s.add(
                            AcceptedRows(
                                version_id=version.id,
                                table_name=name,
                                n_rows=len(frame),
                                rows=frame_records(frame),
                            )
                        )
        return version, result

    def versions(
        self,
        *,
        campaign_id: int | None = None,
        profile_id: str | None = None,
        unit_id: str | None = None,
    ) -> list[SubmissionVersion]:
        """Submission versions in order of receipt."""
        q = select(SubmissionVersion)
        if campaign_id is not None:
            q = q.where(SubmissionVersion.campaign_id == campaign_id)
        if profile_id is not None:
            q = q.where(SubmissionVersion.profile_id == profile_id)
        if unit_id is not None:
            q = q.where(SubmissionVersion.unit_id == unit_id)
        q = q.order_by(SubmissionVersion.received_at, SubmissionVersion.id)
        with self.factory() as s:
            return list(s.scalars(q))

    @staticmethod
    def current(versions: Sequence[SubmissionVersion]) -> dict[tuple[int, str], SubmissionVersion]:
        """The current version per (campaign, unit): the last in order of receipt."""
        out: dict[tuple[int, str], SubmissionVersion] = {}
        for v in sorted(versions, key=lambda v: (aware(v.received_at), v.id)):
            out[(v.campaign_id, v.unit_id)] = v
        return out

    def version(self, version_id: int) -> SubmissionVersion:
        """One submission version.

        :raises NotFound: no such version.
        """
        with self.factory() as s:
            v = s.get(SubmissionVersion, version_id)
        if v is None:
            raise NotFound(f"Представление № {version_id} не найдено.")
        return v

    def accepted_rows(self, version_ids: Sequence[int]) -> dict[int, dict[str, list[Any]]]:
        """Version id → table → accepted rows."""
        out: dict[int, dict[str, list[Any]]] = {}
        ids = list(version_ids)
        with self.factory() as s:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                for r in s.scalars(select(AcceptedRows).where(AcceptedRows.version_id.in_(chunk))):
                    out.setdefault(r.version_id, {})[r.table_name] = r.rows
        return out

    def check_result(self, version: SubmissionVersion) -> CheckResult:
        """The stored check of a version as a :class:`pedprof.io.CheckResult` (for the
        error report)."""
        from pedprof.io import ERROR_COLUMNS

        errors = records_frame(version.check.get("errors", []))
        if errors.empty:
            errors = pd.DataFrame(columns=list(ERROR_COLUMNS))
        counts = records_frame(version.check.get("counts", []))
        if counts.empty:
            counts = pd.DataFrame(
                columns=[
                    "file",
                    "sheet",
                    "table",
                    "unit_id",
                    "period",
                    "submitted",
                    "accepted",
                    "rejected",
                ]
            )
        files = records_frame(version.check.get("files", []))
        if files.empty:
            files = pd.DataFrame(columns=["file", "format", "submitted_at", "status", "rule"])
        return CheckResult(
            dataset=None,
            errors=errors,
            counts=counts,
            register=pd.DataFrame(columns=["unit_id", "unit_name"]),
            rows=pd.DataFrame(columns=["unit_id", "period", "status"]),
            files=files,
        )

    # ------------------------------------------------------------------ the register of submissions

    def submission_register(
        self,
        profile: Profile,
        periods: Sequence[str] | None = None,
        today: dt.date | None = None,
    ) -> pd.DataFrame:
        """Per unit and period: whether and when it submitted (the store's receipt time of
        its first version), on time or late against the profile's deadline."""
        reg = self.register(profile)
        if reg is None:
            raise Conflict(f"Для профиля «{profile.id}» не загружен реестр организаций.")
        reference, _ = reg
        versions = self.versions(profile_id=profile.id)
        return self._register_frame(profile, reference, versions, periods, today)

    @staticmethod
    def _register_frame(
        profile: Profile,
        reference: Dataset,
        versions: Sequence[SubmissionVersion],
        periods: Sequence[str] | None,
        today: dt.date | None,
    ) -> pd.DataFrame:
        file_units: dict[str, set[tuple[str, str, str]]] = {}
        file_times: dict[str, dt.datetime | None] = {}
        rows: list[tuple[str, str, str]] = []
        current = Store.current(versions)
        for v in versions:
            label = f"v{v.id}"
            file_units[label] = {(v.unit_id, v.period, v.level)}
            file_times[label] = _naive_utc(aware(v.received_at) or utcnow())
        for v in current.values():
            rows += [(v.unit_id, v.period, "accepted")] * v.accepted
            rows += [(v.unit_id, v.period, "rejected")] * v.rejected
        frame = pd.DataFrame(rows, columns=["unit_id", "period", "status"])
        receipts = None
        from pedprof.io.register import Receipt

        receipts = {
            (label, unit, period): Receipt(file_times[label], "received")
            for label, keys in file_units.items()
            for unit, period, _ in keys
        }
        return build_submission_register(
            profile,
            file_units,
            file_times,
            reference.organizations,
            reference.municipalities,
            frame,
            periods=list(periods) if periods else None,
            today=today,
            receipts=receipts,
        )

    # ------------------------------------------------------------------ the monitoring

    def generation(self, profile_id: str) -> tuple[Any, ...]:
        """What the monitoring of a profile was built from: it is rebuilt when it changes."""
        with self.factory() as s:
            return (
                s.scalar(
                    select(func.max(SubmissionVersion.id)).where(
                        SubmissionVersion.profile_id == profile_id
                    )
                ),
                s.scalar(
                    select(func.max(UnitRegister.id)).where(UnitRegister.profile_id == profile_id)
                ),
                s.scalar(
                    select(func.max(MeasureSet.id)).where(MeasureSet.profile_id == profile_id)
                ),
                s.scalar(
                    select(func.max(RoadmapStatusSet.id)).where(
                        RoadmapStatusSet.profile_id == profile_id
                    )
                ),
                s.scalar(
                    select(func.count(CycleDocument.id)).where(
                        CycleDocument.profile_id == profile_id
                    )
                ),
            )

    def monitoring(self, profile_id: str) -> Monitoring:
        """The profile's monitoring from the store's current versions (cached until the
        store changes).

        :raises Conflict: no register of units yet.
        """
        profile = self.profile(profile_id)
        gen = self.generation(profile.id)
        with self._lock:
            cached = self._monitoring.get(profile.id)
            if cached is not None and cached[0] == gen:
                return cached[1]
            year = self._build_monitoring(profile)
            self._monitoring[profile.id] = (gen, year)
            return year

    def _build_monitoring(self, profile: Profile) -> Monitoring:
        reg = self.register(profile)
        year = Monitoring(profile)
        if reg is not None:
            reference, _ = reg
            versions = self.versions(profile_id=profile.id)
            current = self.current(versions)
            stored = self.accepted_rows([v.id for v in current.values()])
            tables: dict[str, list[Any]] = {}
            for rows in stored.values():
                for name, records in rows.items():
                    tables.setdefault(name, []).extend(records)
            register = self._register_frame(profile, reference, versions, None, None)
            covers = any(
                "org_id" in {f.name for f in s.fields}
                and s.submitted_by.value != "organization"
                and "municipality_id" not in {f.name for f in s.fields}
                and s.name not in REFERENCE_TABLES
                for s in profile.sources
            )
            submissions = dataset_submissions(
                register,
                reference.organizations if covers else None,
                period_kind=profile.info.period_kind,
            )
            frames = {
                src.name: pd.DataFrame(columns=[f.name for f in src.fields])
                for src in profile.sources
                if src.name not in REFERENCE_TABLES
            }
            frames.update({k: records_frame(v) for k, v in tables.items()})
            year.data = Dataset.from_frames(
                profile,
                frames,
                regions=reference.regions,
                municipalities=reference.municipalities,
                organizations=reference.organizations,
                submissions=submissions,
            )
        with self.factory() as s:
            measures = s.scalars(
                select(MeasureSet)
                .where(MeasureSet.profile_id == profile.id)
                .order_by(MeasureSet.id.desc())
                .limit(1)
            ).first()
            statuses = s.scalars(
                select(RoadmapStatusSet)
                .where(RoadmapStatusSet.profile_id == profile.id)
                .order_by(RoadmapStatusSet.id.desc())
                .limit(1)
            ).first()
            documents = list(
                s.scalars(
                    select(CycleDocument)
                    .where(CycleDocument.profile_id == profile.id)
                    .order_by(CycleDocument.id)
                )
            )
        if measures is not None and measures.rows:
            year.load_measures(records_frame(measures.rows))
        if statuses is not None and statuses.rows and profile.roadmaps:
            year.load_roadmap_statuses(records_frame(statuses.rows))
        if documents:
            year.documents = [records_frame([d.record for d in documents])]
        return year

    # ------------------------------------------------------------------ measures, statuses, documents

    def put_rows(
        self, kind: str, profile: Profile, actor: Actor, frame: pd.DataFrame
    ) -> MeasureSet | RoadmapStatusSet:
        """Keep a new version of the measures (``measures``) or the roadmap statuses
        (``roadmap``), after the application layer has read them."""
        year = Monitoring(profile)
        if kind == "measures":
            register = year.load_measures(frame)
            if register.problems:
                raise Unprocessable(
                    "Реестр мер содержит ошибки: "
                    + "; ".join(str(p) for p in list(register.problems)[:10])
                )
            row: MeasureSet | RoadmapStatusSet = MeasureSet(
                profile_id=profile.id,
                received_at=utcnow(),
                uploader=actor.label,
                rows=frame_records(frame),
            )
        else:
            year.load_roadmap_statuses(frame)
            row = RoadmapStatusSet(
                profile_id=profile.id,
                received_at=utcnow(),
                uploader=actor.label,
                rows=frame_records(frame),
            )
        with session_scope(self.factory) as s:
            s.add(row)
        return row

    def latest_rows(self, kind: str, profile: Profile) -> list[Any]:
        """The current measures or roadmap statuses as records."""
        model: type[MeasureSet] | type[RoadmapStatusSet] = (
            MeasureSet if kind == "measures" else RoadmapStatusSet
        )
        with self.factory() as s:
            row = s.scalars(
                select(model)
                .where(model.profile_id == profile.id)
                .order_by(model.id.desc())
                .limit(1)
            ).first()
        return [] if row is None else list(row.rows)  # type: ignore[attr-defined]


def read_table_upload(filename: str, content: bytes, tmp_dir: Path) -> pd.DataFrame:
    """A CSV or workbook upload (measures, statuses, documents) as a frame of its first
    sheet, read by pedprof's readers (so their size and zip-bomb checks apply)."""
    from pedprof.io._safety import Refused
    from pedprof.io.readers import read_path

    name = Path(filename).name or "upload.csv"
    if Path(name).suffix.lower() not in _SUFFIXES:
        raise Unprocessable(f"Файл «{name}» не принят: загрузите .csv или .xlsx.")
    tmp_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=tmp_dir) as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        try:
            raw = read_path(path, label=name)
        except Refused as exc:
            raise Unprocessable(str(exc)) from exc
    grids = [g for g in raw.grids if not g.hidden and g.rows]
    if not grids:
        raise Unprocessable(f"В файле «{name}» нет таблицы.")
    header, *body = grids[0].rows
    columns = [str(c) for c in header]
    return pd.DataFrame([r[: len(columns)] for r in body], columns=columns)
