package mnist

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultDirInRepository(t *testing.T) {
	t.Setenv(DataEnv, "")
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(dir) != "data" {
		t.Fatalf("DefaultDir() = %s, want a folder named data", dir)
	}
	mod, err := modulePath(filepath.Join(filepath.Dir(dir), "go.mod"))
	if err != nil || mod != ModulePath {
		t.Fatalf("DefaultDir() = %s: the go.mod beside it declares %q (%v), want %s", dir, mod, err, ModulePath)
	}
	t.Setenv(DataEnv, "/some/where")
	if dir, err := DefaultDir(); err != nil || dir != "/some/where" {
		t.Fatalf("with %s=/some/where: DefaultDir() = %q, %v", DataEnv, dir, err)
	}
}

func TestModuleRoot(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root, "go.mod", []byte("// lanes\nmodule   \"github.com/lanesimd/lanes\" // the library\n\ngo 1.26\n"))
	// A nested module of another path is walked past.
	inner := filepath.Join(root, "a")
	deep := filepath.Join(inner, "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, inner, "go.mod", []byte("module example.com/other\n"))
	for _, from := range []string{root, inner, deep} {
		got, err := moduleRoot(from)
		if err != nil || got != root {
			t.Errorf("moduleRoot(%s) = %q, %v, want %s", from, got, err, root)
		}
	}
	// Outside any lanes module.
	other := t.TempDir()
	_, err := moduleRoot(other)
	if err == nil || !strings.Contains(err.Error(), DataEnv) || !strings.Contains(err.Error(), other) {
		t.Fatalf("moduleRoot outside the module: %v, want an error naming %s and %s", err, other, DataEnv)
	}
}
