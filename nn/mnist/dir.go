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

// CacheSubdir is the folder under os.UserCacheDir() that holds MNIST when the program runs
// outside the lanes checkout and LANES_DATA is not set.
const CacheSubdir = "lanes/mnist"

// DefaultDir returns the folder MNIST is cached in: $LANES_DATA when set; else, when the working
// directory is inside the lanes checkout (a folder whose go.mod declares module
// github.com/lanesimd/lanes, found by walking up), its git-ignored data/ folder; else
// os.UserCacheDir()/lanes/mnist ($XDG_CACHE_HOME/lanes/mnist or ~/.cache/lanes/mnist on Linux,
// ~/Library/Caches/lanes/mnist on macOS). It creates nothing.
func DefaultDir() (string, error) {
	dir, _, err := defaultDir()
	return dir, err
}

// defaultDir is DefaultDir; explicit reports whether the folder was named by the user
// ($LANES_DATA), in which case it must exist: it is never created.
func defaultDir() (dir string, explicit bool, err error) {
	if d := os.Getenv(DataEnv); d != "" {
		return d, true, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", false, fmt.Errorf("mnist: %w", err)
	}
	root, err := moduleRoot(wd)
	if err == nil {
		return filepath.Join(root, "data"), false, nil
	}
	cache, cerr := os.UserCacheDir()
	if cerr != nil {
		return "", false, fmt.Errorf("mnist: no data folder: not inside the lanes checkout (%v), and no user cache folder (%v); set %s to a folder", err, cerr, DataEnv)
	}
	return filepath.Join(cache, filepath.FromSlash(CacheSubdir)), false, nil
}

// resolveDir returns the folder to use for dir ("" means the default) and whether it may be
// created: only a default folder (not $LANES_DATA) is created. A folder given explicitly must
// exist and be a folder, so that a typing mistake does not download 55 MB into a new folder.
func resolveDir(dir string) (string, bool, error) {
	explicit := dir != ""
	if !explicit {
		var err error
		if dir, explicit, err = defaultDir(); err != nil {
			return "", false, err
		}
	}
	if !explicit {
		return dir, true, nil
	}
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		what := "folder"
		if dir == os.Getenv(DataEnv) {
			what = "folder named by $" + DataEnv
		}
		return "", false, fmt.Errorf("mnist: the %s %s does not exist (it is not created: create it, or leave the folder out to use the default)", what, dir)
	case err != nil:
		return "", false, fmt.Errorf("mnist: %w", err)
	case !st.IsDir():
		return "", false, fmt.Errorf("mnist: %s is not a folder", dir)
	}
	return dir, false, nil
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
