//! How an index folder is read when answering: memory-mapped, except the stored passages.
//!
//! Postings and term dictionaries are read on every question, so they stay memory-mapped. The
//! stored passages (most of the folder's bytes) are read only for the few passages a reply
//! quotes: reading those blocks with `pread` keeps a large FAQ's store out of the process's
//! resident memory, where a memory map would keep every page it ever touched.

use std::fs::File;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr,
};
use tantivy::HasLen;

/// File name extension of tantivy's document store.
const STORE_EXTENSION: &str = "store";

/// An index folder: memory-mapped, with the document store read on demand.
#[derive(Debug, Clone)]
pub struct AnswerDirectory {
    mmap: MmapDirectory,
    root: PathBuf,
}

impl AnswerDirectory {
    /// Opens an index folder.
    pub fn open(root: &Path) -> tantivy::Result<Self> {
        Ok(AnswerDirectory {
            mmap: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
        })
    }
}

/// A file read with positioned reads, one range at a time.
#[derive(Debug)]
struct ReadOnDemand {
    file: File,
    len: usize,
}

impl HasLen for ReadOnDemand {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for ReadOnDemand {
    fn read_bytes(&self, range: Range<usize>) -> std::io::Result<OwnedBytes> {
        use std::os::unix::fs::FileExt;
        let end = range.end.min(self.len);
        let mut buf = vec![0; end.saturating_sub(range.start)];
        self.file.read_exact_at(&mut buf, range.start as u64)?;
        Ok(OwnedBytes::new(buf))
    }
}

impl Directory for AnswerDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        if path.extension().is_some_and(|e| e == STORE_EXTENSION) {
            let full = self.root.join(path);
            let opened = File::open(&full).and_then(|file| {
                let len = file.metadata()?.len() as usize;
                Ok(ReadOnDemand { file, len })
            });
            return match opened {
                Ok(handle) => Ok(Arc::new(handle)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    Err(OpenReadError::FileDoesNotExist(path.to_path_buf()))
                }
                Err(e) => Err(OpenReadError::wrap_io_error(e, path.to_path_buf())),
            };
        }
        self.mmap.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mmap.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mmap.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mmap.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mmap.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.mmap.atomic_write(path, data)
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.mmap.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.mmap.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mmap.watch(watch_callback)
    }
}
