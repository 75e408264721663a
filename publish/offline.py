"""`make offline`: the site built for file:// (Material's offline plugin), zipped into dist/."""

import tempfile
import zipfile
from pathlib import Path

from . import DIST, ROOT, build, say, slug


def zip_dir(source: Path, archive: Path, top: str) -> int:
    """Write every file under `source` into `archive`, inside folder `top`; the file count."""
    files = sorted(path for path in source.rglob("*") if path.is_file())
    archive.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        for path in files:
            bundle.write(path, f"{top}/{path.relative_to(source).as_posix()}")
    return len(files)


def offline(out: Path = DIST, root: Path = ROOT) -> Path:
    """Build the offline site and zip it to `out`/<slug>-offline.zip; the zip's path."""
    name = f"{slug(root)}-offline"
    with tempfile.TemporaryDirectory(prefix="handbook-offline-") as work:
        site = Path(work) / name
        build(site, {"OFFLINE": "true", "INSTANT_NAVIGATION": "navigation.instant.off"}, root)
        archive = out / f"{name}.zip"
        count = zip_dir(site, archive, name)
    size = archive.stat().st_size / 1024 / 1024
    say(f"离线包已生成：{archive}（{count} 个文件，{size:.1f} MB）。")
    say(f"解压后双击 {name}/index.html 即可阅读，不需要联网，也不需要服务器。")
    return archive
