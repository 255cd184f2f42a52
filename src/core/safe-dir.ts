// Host actions in a tree the agent can shape (decisions §27): the project, and `--out` inside it. A directory is
// opened once, one component at a time without following a symlink, and every later step names entries relative
// to that open directory (`/proc/self/fd/<n>/<name>`, Linux's stand-in for openat): a folder swapped for a symlink
// after the check is not followed, because the path is never looked up again. Files are written through a
// temporary name and a rename (a symlink planted at the name is replaced, never written through); unlink never
// follows. Node builtins only: the internal-error log is written through this wherever the CLI loads.
import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  type Stats,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

/** Linux's O_PATH (not in Node's constants): a handle for lookups that needs no read permission on the folder. */
const O_PATH = 0o10000000;
const DIR_FLAGS = O_PATH | constants.O_DIRECTORY | constants.O_NOFOLLOW;
const NEW_FILE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** What identifies a file or folder whatever its name: it is the same one only with the same device and inode. */
export interface Identity {
  dev: number;
  ino: number;
}

export const identityOf = (stats: Identity): Identity => ({ dev: stats.dev, ino: stats.ino });
export const sameIdentity = (a: Identity, b: Identity): boolean => a.dev === b.dev && a.ino === b.ino;

/** A path component is a symlink or not a directory (ENOTDIR/ELOOP), or a name is not a plain entry name. */
export class UnsafePathError extends Error {
  override name = "UnsafePathError";
  readonly code = "ENOTDIR";
}

function checkedName(name: string): string {
  if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\0"))
    throw new UnsafePathError(`${JSON.stringify(name)} is not a plain entry name`);
  return name;
}

export class SafeDir {
  private constructor(
    /** The path it was opened by (for messages only: never looked up again). */
    readonly path: string,
    private readonly fd: number,
  ) {}

  /**
   * Opens the absolute `path` from `/` one component at a time, never following a symlink; with `create`,
   * missing folders are made on the way. Throws UnsafePathError naming the component that is a symlink or a file.
   */
  static open(path: string, opts: { create: boolean }): SafeDir {
    if (!path.startsWith("/")) throw new UnsafePathError(`${path}: not an absolute path`);
    let dir = new SafeDir("/", openSync("/", DIR_FLAGS));
    for (const name of path.split("/").filter((part) => part !== "")) {
      try {
        const child = dir.openDir(name, opts);
        dir.close();
        dir = child;
      } catch (error) {
        dir.close();
        throw error;
      }
    }
    return dir;
  }

  /** The entry `name` of this folder as a path that resolves through the open folder, not through its name. */
  entry(name: string): string {
    return `/proc/self/fd/${this.fd}/${checkedName(name)}`;
  }

  identity(): Identity {
    return identityOf(fstatSync(this.fd));
  }

  /** The folder `name` in this one (made when missing, with `create`); a symlink there is refused. */
  openDir(name: string, opts: { create: boolean; mode?: number }): SafeDir {
    const where = join(this.path, name);
    const open = () => new SafeDir(where, openSync(this.entry(name), DIR_FLAGS));
    try {
      return open();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && opts.create) {
        try {
          mkdirSync(this.entry(name), opts.mode);
        } catch (made) {
          if ((made as NodeJS.ErrnoException).code !== "EEXIST") throw made;
        }
        return this.openDir(name, { create: false });
      }
      if (code === "ENOTDIR" || code === "ELOOP")
        throw new UnsafePathError(`${where} is a symbolic link or not a directory`, { cause: error });
      throw error;
    }
  }

  /** Makes the folder `name`, which must not exist (EEXIST otherwise). */
  makeDir(name: string, mode?: number): void {
    mkdirSync(this.entry(name), mode);
  }

  /** Writes `name` through a new temporary file renamed over it: whatever was at `name` (a symlink too) is
   * replaced, never written through. Returns the identity of the file written. */
  writeFile(name: string, data: string | Uint8Array, mode = 0o666): Identity {
    const temporary = `.${checkedName(name)}.${randomBytes(6).toString("hex")}.tmp`;
    const identity = this.createFile(temporary, data, mode);
    try {
      renameSync(this.entry(temporary), this.entry(name));
    } catch (error) {
      this.unlink(temporary);
      throw error;
    }
    return identity;
  }

  /** Creates `name`, which must not exist (nothing at that name is opened or followed). */
  createFile(name: string, data: string | Uint8Array, mode = 0o666): Identity {
    const fd = openSync(this.entry(name), NEW_FILE_FLAGS, mode);
    let written = false;
    try {
      const bytes = typeof data === "string" ? Buffer.from(data) : data;
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
      const identity = identityOf(fstatSync(fd));
      written = true;
      return identity;
    } finally {
      closeSync(fd);
      if (!written) this.unlink(name);
    }
  }

  /** The entry's own stats (a symlink is not followed); null when there is none. */
  lstat(name: string): Stats | null {
    try {
      return lstatSync(this.entry(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  /** Removes the entry `name` (a file or a symlink itself, never a folder, never what a link points to); false
   * when there was none. */
  unlink(name: string): boolean {
    try {
      unlinkSync(this.entry(name));
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "EISDIR" || code === "EPERM") return false;
      throw error;
    }
  }

  /** The bytes of the regular file `name` (no symlink, no FIFO or device), at most `maxBytes`. */
  readBytes(name: string, maxBytes: number): Buffer {
    const fd = openSync(this.entry(name), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      return readCapped(fd, join(this.path, name), maxBytes);
    } finally {
      closeSync(fd);
    }
  }

  /** The text of the regular file `name` (no symlink, no FIFO or device), at most `maxBytes`. */
  readRegularFile(name: string, maxBytes: number): string {
    return this.readBytes(name, maxBytes).toString("utf8");
  }

  /** Sets the mode of the regular file `name` exactly (a symlink there is not followed: nothing changes). */
  chmod(name: string, mode: number): void {
    const fd = openSync(this.entry(name), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      if (fstatSync(fd).isFile()) fchmodSync(fd, mode);
    } finally {
      closeSync(fd);
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** A file's content is too big or the file is not a regular file: the message names the file, never its bytes. */
export class FileLimitError extends Error {
  override name = "FileLimitError";

  constructor(
    where: string,
    /** The reason alone: `not a regular file`, `larger than <n> bytes`. */
    readonly reason: string,
  ) {
    super(`${where}: ${reason}`);
  }
}

/** Reads the open `fd` whole, refusing anything but a regular file of at most `maxBytes`. */
export function readCapped(fd: number, where: string, maxBytes: number): Buffer {
  const stat = fstatSync(fd);
  if (!stat.isFile()) throw new FileLimitError(where, "not a regular file");
  if (stat.size > maxBytes) throw new FileLimitError(where, `larger than ${maxBytes} bytes`);
  // One byte more than the cap: a file that grows while it is read is caught too.
  const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
  let read = 0;
  for (let n = -1; n !== 0 && read < buffer.length; read += n)
    n = readSync(fd, buffer, read, buffer.length - read, read);
  if (read > maxBytes) throw new FileLimitError(where, `larger than ${maxBytes} bytes`);
  return buffer.subarray(0, read);
}
