"""Outputs: run folders (Parquet + manifest)."""

from polsim.output.rundir import check_run_dir, default_run_dir, file_sha256, write_run_dir

__all__ = ["check_run_dir", "default_run_dir", "file_sha256", "write_run_dir"]
