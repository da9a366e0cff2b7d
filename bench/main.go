// Command bench times the chapter's workloads with gorgoflow and with the
// PyTorch reference (bench/torch/torch-reference, in this repository) back
// to back, and prints per workload the two times and their ratio:
//
//	go run ./bench [-rounds N] [-reps N] [-torch PATH] [-crosscheck PATH] [w1 w2 inf w3 w4 w5 w7 w6]
//
// When a second reference script is found (-crosscheck, by default the
// project's shared ../shared/bench/torch-reference, written independently),
// it is run once per workload after the rounds and its time printed beside
// ours' reference's, as a check of the reference itself.
//
// Workloads (defined in package bench/workloads, as torch_reference.py
// defines them): w1, one training step of the MNIST sequence classifier;
// w2, one training step of the time-series model; inf, w1's forward pass
// over 10,000 sequences; w3, w4, w5, w1's classifier with 3 stacked
// BasicLSTMCell of 150, one GRUCell of 150, 3 stacked ReLU BasicRNNCell of
// 100; w7, w1 with a cell written by the user (the generic loop); w6, one
// word2vec skip-gram step (NCE, Adam).
//
// Each round runs, for each workload, ours in a fresh child process and
// then PyTorch's, so that drift of the machine's speed hits both alike.
// Within a round ours is timed as the reference times PyTorch: a few warm-up
// steps, then reps samples of several steps, and the round's time is the
// median of the samples (the reference prints the median of its fastest
// configuration). Over rounds each side's best round is reported:
//
//	w1 ours=16.1ms torch=15.9ms ratio=0.99
//
// ratio is PyTorch's time divided by ours (above 1 when we are faster).
// Lines starting with # are comments: the BLAS in use and GOMAXPROCS, each
// round's times, and the peak memory (VmHWM) of the process running inf.
// When the reference is missing or fails, the command says so and prints
// ours only. GORGOFLOW_BLAS=go times gorgoflow's pure-Go sgemm (the
// fallback without OpenBLAS), GORGOFLOW_BLAS=gonum gonum's,
// GORGOFLOW_BLAS=openblas OpenBLAS's sgemm where gorgoflow would use its
// own AVX-512 kernel.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gorgoflow/gorgoflow/bench/workloads"
	"github.com/gorgoflow/gorgoflow/internal/blas"
)

// childEnv names the workload a child process times.
const childEnv = "GORGOFLOW_BENCH_CHILD"

// timing is what a child process reports.
type timing struct {
	Workload string    `json:"workload"`
	Median   float64   `json:"median_s"`
	Min      float64   `json:"min_s"`
	Max      float64   `json:"max_s"`
	Samples  []float64 `json:"samples_s"`
	VmHWMKB  int64     `json:"vmhwm_kb"`
}

// schedule is how torch_reference.py times each workload: warm-up steps and
// steps per sample.
var schedule = map[string]struct{ warm, inner int }{
	"w1":  {5, 20},
	"w2":  {10, 50},
	"inf": {1, 1},
	"w3":  {3, 10},
	"w4":  {3, 10},
	"w5":  {3, 10},
	"w7":  {5, 20},
	"w6":  {3, 10},
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("bench: ")
	if name := os.Getenv(childEnv); name != "" {
		reps, _ := strconv.Atoi(os.Getenv("REPS"))
		if err := child(name, reps); err != nil {
			log.Fatal(err)
		}
		return
	}
	rounds := flag.Int("rounds", 1, "rounds of ours then PyTorch's per workload")
	reps := flag.Int("reps", 7, "timed samples per round (the REPS of torch_reference.py)")
	torchPath := flag.String("torch", "", "the PyTorch reference script (default: bench/torch/torch-reference from the module root)")
	crossPath := flag.String("crosscheck", "", "a second, independent PyTorch reference run once per workload as a check (default: ../shared/bench/torch-reference from the module root, when present; \"none\" to skip)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./bench [-rounds N] [-reps N] [-torch PATH] [-crosscheck PATH] [w1 w2 inf w3 w4 w5 w7 w6]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	names := flag.Args()
	if len(names) == 0 {
		names = workloads.Names
	}
	for _, n := range names {
		if _, ok := schedule[n]; !ok {
			log.Fatalf("unknown workload %q (want some of %v)", n, workloads.Names)
		}
	}
	if *rounds < 1 || *reps < 1 {
		log.Fatal("-rounds and -reps must be positive")
	}
	torch := *torchPath
	if torch == "" {
		torch = filepath.Join(moduleRoot(), "bench", "torch", "torch-reference")
	}
	useTorch := true
	if _, err := os.Stat(torch); err != nil {
		fmt.Printf("# PyTorch reference not found (%v): printing ours only\n", err)
		useTorch = false
	}
	self, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("# BLAS=%s GOMAXPROCS=%d NumCPU=%d rounds=%d reps=%d; ours = median of the samples of a round, best round (likewise PyTorch's)\n",
		blas.Name(), runtime.GOMAXPROCS(0), runtime.NumCPU(), *rounds, *reps)

	best := map[string]float64{}
	bestTorch := map[string]float64{}
	peak := map[string]int64{}
	for r := 0; r < *rounds; r++ {
		for _, n := range names {
			ours, err := runOurs(self, n, *reps)
			if err != nil {
				log.Fatalf("%s: %v", n, err)
			}
			if b, ok := best[n]; !ok || ours.Median < b {
				best[n] = ours.Median
			}
			if ours.VmHWMKB > peak[n] {
				peak[n] = ours.VmHWMKB
			}
			line := fmt.Sprintf("# round %d %s ours=%s (min %s max %s, VmHWM %d MB)", r+1, n,
				ms(ours.Median), ms(ours.Min), ms(ours.Max), ours.VmHWMKB/1024)
			if useTorch {
				t, err := runTorch(torch, n, *reps)
				if err != nil {
					fmt.Printf("# PyTorch reference failed (%v): printing ours only\n", err)
					useTorch = false
				} else {
					line += " torch=" + ms(t)
					if b, ok := bestTorch[n]; !ok || t < b {
						bestTorch[n] = t
					}
				}
			}
			fmt.Println(line)
		}
	}
	crossCheck(*crossPath, names, *reps, bestTorch)
	for _, n := range names {
		if t, ok := bestTorch[n]; ok && useTorch {
			fmt.Printf("%s ours=%s torch=%s ratio=%.2f\n", n, ms(best[n]), ms(t), t/best[n])
		} else {
			fmt.Printf("%s ours=%s\n", n, ms(best[n]))
		}
		if n == "inf" {
			fmt.Printf("# inf peak memory of ours: %d MB (VmHWM of the process running it)\n", peak[n]/1024)
		}
	}
}

// ms formats seconds as milliseconds.
func ms(s float64) string {
	v := s * 1000
	if v >= 100 {
		return fmt.Sprintf("%.0fms", v)
	}
	return fmt.Sprintf("%.1fms", v)
}

// runOurs times workload name in a child process (so that each workload's
// peak memory is its own).
func runOurs(self, name string, reps int) (*timing, error) {
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), childEnv+"="+name, "REPS="+strconv.Itoa(reps))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, err
	}
	var t timing
	if err := json.Unmarshal(bytes.TrimSpace(out), &t); err != nil {
		return nil, fmt.Errorf("child output %q: %v", out, err)
	}
	return &t, nil
}

// runTorch runs the PyTorch reference for one workload and returns its
// seconds per step.
func runTorch(path, name string, reps int) (float64, error) {
	cmd := exec.Command(path, name)
	cmd.Env = append(os.Environ(), "REPS="+strconv.Itoa(reps))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("%s %s: %v: %s", path, name, err, strings.TrimSpace(stderr.String()))
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "torch" && f[1] == name {
			return strconv.ParseFloat(f[2], 64)
		}
	}
	return 0, fmt.Errorf("%s %s printed no line 'torch %s SECONDS': %q", path, name, name, out)
}

// child times one workload and prints its timing as JSON.
func child(name string, reps int) error {
	if reps < 1 {
		reps = 7
	}
	s := schedule[name]
	w, err := workloads.New(name, 0, workloads.InfExamples)
	if err != nil {
		return err
	}
	defer w.Close()
	for i := 0; i < s.warm; i++ {
		if err := w.Step(); err != nil {
			return err
		}
	}
	t := timing{Workload: name, Min: math.Inf(1)}
	for i := 0; i < reps; i++ {
		t0 := time.Now()
		for j := 0; j < s.inner; j++ {
			if err := w.Step(); err != nil {
				return err
			}
		}
		d := time.Since(t0).Seconds() / float64(s.inner)
		t.Samples = append(t.Samples, d)
		t.Min = math.Min(t.Min, d)
		t.Max = math.Max(t.Max, d)
	}
	sorted := append([]float64(nil), t.Samples...)
	sort.Float64s(sorted)
	if n := len(sorted); n%2 == 1 {
		t.Median = sorted[n/2]
	} else {
		t.Median = (sorted[n/2-1] + sorted[n/2]) / 2
	}
	t.VmHWMKB = vmHWM()
	return json.NewEncoder(os.Stdout).Encode(t)
}

// vmHWM returns this process's peak resident set size in KB
// (/proc/self/status), or -1 where it is not available.
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				if v, err := strconv.ParseInt(f[0], 10, 64); err == nil {
					return v
				}
			}
		}
	}
	return -1
}

// moduleRoot returns the nearest folder at or above the working directory
// holding a go.mod, or the working directory.
func moduleRoot() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return wd
		}
	}
}

// crossCheck runs a second PyTorch reference (path, or by default the
// project's shared one when present) once per workload and prints its time
// beside ours' reference's best.
func crossCheck(path string, names []string, reps int, ref map[string]float64) {
	if path == "none" {
		return
	}
	if path == "" {
		path = filepath.Join(moduleRoot(), "..", "shared", "bench", "torch-reference")
		if _, err := os.Stat(path); err != nil {
			return
		}
	}
	for _, n := range names {
		t, err := runTorch(path, n, reps)
		if err != nil {
			fmt.Printf("# cross-check reference %s failed for %s: %v\n", path, n, err)
			return
		}
		fmt.Printf("# cross-check %s: %s torch=%s (bench/torch: %s)\n", path, n, ms(t), ms(ref[n]))
	}
}
