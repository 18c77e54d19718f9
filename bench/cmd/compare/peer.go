package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// peerConn answers requests for measurements: the Python peers (bench/peers/peers.py serve) with
// a number of threads, or a stand-in in tests.
type peerConn interface {
	call(req map[string]any) (reply, error)
	close() error
}

// reply is the peer's answer to one request.
type reply struct {
	OK    bool     `json:"ok"`
	Error string   `json:"error"`
	Value float64  `json:"value"`
	Unit  string   `json:"unit"`
	Acc   *float64 `json:"acc"`
	Info  string   `json:"info"`
	// The answer to "versions".
	Python      string `json:"python"`
	Numpy       string `json:"numpy"`
	NumpyError  string `json:"numpy_error"`
	BLAS        string `json:"blas"`
	Torch       string `json:"torch"`
	TorchError  string `json:"torch_error"`
	TorchThread int    `json:"torch_threads"`
}

func (r reply) measure() measure {
	m := measure{value: r.Value, acc: math.NaN(), info: r.Info}
	if r.Acc != nil {
		m.acc = *r.Acc
	}
	return m
}

// pyPeer is one `peers.py serve` process: requests go to its stdin as JSON lines, and each is
// answered with one JSON line on its stdout. Its stderr is ours.
type pyPeer struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
	mu   sync.Mutex
	dead error
	// timeout bounds one request; past it the process is killed and the request fails.
	timeout time.Duration
}

// alive reports whether the process can still take requests.
func (p *pyPeer) alive() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dead == nil
}

// startPeer starts python on script with threads threads (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS
// and MKL_NUM_THREADS set to it before numpy or torch loads) and MNIST in dataDir.
// A request that takes longer than timeout (0: no limit) kills it.
func startPeer(python, script string, threads int, dataDir string, timeout time.Duration) (*pyPeer, error) {
	if _, err := exec.LookPath(python); err != nil {
		return nil, fmt.Errorf("the peers need %s: %w (Debian's python3 with python3-numpy and python3-torch; `make compare` installs them)", python, err)
	}
	if _, err := os.Stat(script); err != nil {
		return nil, fmt.Errorf("the peer script: %w", err)
	}
	t := strconv.Itoa(threads)
	cmd := exec.Command(python, script, "--threads", t, "--data", dataDir, "serve")
	cmd.Env = append(os.Environ(), "OMP_NUM_THREADS="+t, "OPENBLAS_NUM_THREADS="+t, "MKL_NUM_THREADS="+t, "PYTHONUNBUFFERED=1")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s %s: %w", python, script, err)
	}
	return &pyPeer{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<16), timeout: timeout}, nil
}

func (p *pyPeer) call(req map[string]any) (reply, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dead != nil {
		return reply{}, p.dead
	}
	b, err := json.Marshal(req)
	if err != nil {
		return reply{}, err
	}
	if _, err := p.in.Write(append(b, '\n')); err != nil {
		p.dead = fmt.Errorf("the peer process is gone: %w", err)
		return reply{}, p.dead
	}
	type answer struct {
		line []byte
		err  error
	}
	ch := make(chan answer, 1)
	go func() {
		line, err := p.out.ReadBytes('\n')
		ch <- answer{line, err}
	}()
	var timeout <-chan time.Time
	if p.timeout > 0 {
		t := time.NewTimer(p.timeout)
		defer t.Stop()
		timeout = t.C
	}
	var line []byte
	select {
	case a := <-ch:
		if a.err != nil {
			err := a.err
			if errors.Is(err, io.EOF) {
				err = errors.New("it exited")
			}
			p.dead = fmt.Errorf("no answer from the peer process (%v): see its messages above", err)
			return reply{}, p.dead
		}
		line = a.line
	case <-timeout:
		p.cmd.Process.Kill()
		p.dead = fmt.Errorf("one turn took more than %v (-peer-timeout); the peer process was stopped", p.timeout)
		return reply{}, p.dead
	}
	var r reply
	if err := json.Unmarshal(line, &r); err != nil {
		return reply{}, fmt.Errorf("the peer's answer %q: %w", line, err)
	}
	if !r.OK {
		return r, errors.New(r.Error)
	}
	return r, nil
}

func (p *pyPeer) close() error {
	p.in.Close()
	return p.cmd.Wait()
}
