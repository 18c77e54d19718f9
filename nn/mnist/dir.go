package mnist

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ModulePath is the module whose root holds the default data folder.
const ModulePath = "github.com/lanesimd/lanes"

// DataEnv names the environment variable that overrides the default data folder.
const DataEnv = "LANES_DATA"

// DefaultDir returns the folder MNIST is cached in: $LANES_DATA when set, else the data/
// folder at the root of the lanes module (git-ignored), found by walking up from the working
// directory to the go.mod of module github.com/lanesimd/lanes.
func DefaultDir() (string, error) {
	if d := os.Getenv(DataEnv); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("mnist: %w", err)
	}
	root, err := moduleRoot(wd)
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "data"), nil
}

// moduleRoot walks up from dir to the folder whose go.mod declares ModulePath.
func moduleRoot(dir string) (string, error) {
	for d := dir; ; {
		mod, err := modulePath(filepath.Join(d, "go.mod"))
		if err == nil && mod == ModulePath {
			return d, nil
		}
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("mnist: %w", err)
		}
		up := filepath.Dir(d)
		if up == d {
			return "", fmt.Errorf("mnist: no go.mod of module %s in %s or above it; "+
				"run from inside the lanes repository or set %s to a data folder", ModulePath, dir, DataEnv)
		}
		d = up
	}
}

// modulePath returns the module path declared in the go.mod file at path.
func modulePath(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) == 2 && fields[0] == "module" {
			return strings.Trim(fields[1], "\"`"), nil
		}
	}
	return "", sc.Err()
}
