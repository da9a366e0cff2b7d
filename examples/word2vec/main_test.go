package main

import (
	"bytes"
	"fmt"
	"image/png"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// classCorpus writes a corpus of n sentences in which the words of each
// class (12 words) share their neighbours (a left word and a right word of
// the class's own), so that skip-gram embeddings of one class end up near
// each other. It returns the file and the classes.
func classCorpus(t *testing.T, n int) (string, map[string][]string) {
	t.Helper()
	type class struct{ words, left, right []string }
	classes := map[string]class{
		"animals": {strings.Fields("cat dog horse sheep goat mouse lion bear wolf fox deer camel"), strings.Fields("a small"), strings.Fields("ran slept ate hid")},
		"people":  {strings.Fields("king queen prince priest judge farmer soldier servant prophet merchant shepherd widow"), strings.Fields("the old"), strings.Fields("said spoke answered cried")},
		"numbers": {strings.Fields("two three four five six seven eight nine ten twelve twenty forty"), strings.Fields("for about"), strings.Fields("days years months nights")},
		"colours": {strings.Fields("red blue green white black purple scarlet yellow grey brown golden silver"), strings.Fields("was looked"), strings.Fields("and like cloth paint")},
		"places":  {strings.Fields("city village river mountain valley desert garden temple market harbour forest field"), strings.Fields("in near"), strings.Fields("today there again alone")},
		"metals":  {strings.Fields("gold iron copper brass tin lead bronze steel nickel zinc platinum cobalt"), strings.Fields("of with"), strings.Fields("coins tools rings bars")},
		"motion":  {strings.Fields("walked marched travelled journeyed sailed rode climbed wandered hurried crept drove flew"), strings.Fields("they we"), strings.Fields("home north south away")},
		"body":    {strings.Fields("hand foot head eye ear arm leg mouth heart nose finger knee"), strings.Fields("his her"), strings.Fields("hurt ached healed bled")},
	}
	names := []string{"animals", "people", "numbers", "colours", "places", "metals", "motion", "body"}
	r := rand.New(rand.NewSource(7))
	pick := func(s []string) string { return s[r.Intn(len(s))] }
	var b strings.Builder
	for range n {
		for k := range 3 {
			c := classes[names[r.Intn(len(names))]]
			if k > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%s %s %s", pick(c.left), pick(c.words), pick(c.right))
		}
		b.WriteString(".\n")
	}
	path := filepath.Join(t.TempDir(), "classes.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for name, c := range classes {
		out[name] = c.words
		out["context of "+name] = append(append([]string(nil), c.left...), c.right...)
	}
	return path, out
}

// TestRun trains the example's model (the notebook's sizes) on a small
// corpus with word classes, as the example does by default (SGD,
// subsampling, skip window 2) and as the notebook does (-notebook: Adam,
// skip window 1), and checks what the example prints and draws: the loss
// falls, the nearest words of a word are mostly of its class (which
// embeddings left at random, or dragged together, fail), and the PNG is
// written where -png says.
//
// The default's SGD(1.0) needs many steps from the notebook's uniform
// [-1, 1] start (400,001 on the KJV); here it runs 6,001 steps at 3.0
// (at 5.0 it diverges), and its classes are checked less strictly (by
// chance about 3 of the 40 nearest words are of the probe's class).
func TestRun(t *testing.T) {
	for _, c := range []struct {
		name            string
		every           int
		set             func(*config)
		lossRatio       float64 // the loss at the end is below this times that after every steps
		perProbe, inAll int     // of the 5 nearest words of a probe, of all 8 probes
	}{
		{"default", 1000, func(c *config) { c.learningRate = 3 }, 0.95, 0, 18},
		{"notebook", 200, (*config).notebook, 0.5, 3, 30},
	} {
		t.Run(c.name, func(t *testing.T) { testRun(t, c.every, c.set, c.lossRatio, c.perProbe, c.inAll) })
	}
}

func testRun(t *testing.T, every int, set func(*config), lossRatio float64, perProbe, inAll int) {
	corpus, classes := classCorpus(t, 1400) // 12,600 words
	pngPath := filepath.Join(t.TempDir(), "emb.png")
	probes := []string{"king", "three", "gold", "river", "horse", "blue", "sailed", "hand"}
	var out bytes.Buffer
	cfg := defaults()
	set(&cfg)
	cfg.corpus, cfg.steps, cfg.probes, cfg.png, cfg.plotWords = corpus, 6*every+1, probes, pngPath, 100
	cfg.lossEvery, cfg.nearestEvery = every, 2*every
	if err := run(cfg, &out); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	t.Log("\n" + text)
	distinct := map[string]bool{}
	for _, ws := range classes {
		for _, w := range ws {
			distinct[w] = true
		}
	}
	if want := fmt.Sprintf("vocabulary: %d words (UNK: 0 occurrences)", len(distinct)+1); !strings.Contains(text, want) {
		t.Errorf("the vocabulary is not the corpus's %d words and UNK: want %q", len(distinct), want)
	}
	// The loss falls.
	var losses []float64
	for _, line := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(line, "Average loss at step "); ok {
			f := strings.Fields(rest)
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				t.Fatalf("loss line %q: %v", line, err)
			}
			losses = append(losses, v)
		}
	}
	if len(losses) != 7 {
		t.Fatalf("%d loss lines, want 7 (steps 0, %d, ..., %d)", len(losses), every, 6*every)
	}
	if !(losses[6] < losses[1]*lossRatio) {
		t.Errorf("average loss went from %v (step %d) to %v (step %d): the model did not train", losses[1], every, losses[6], 6*every)
	}
	// The last neighbours: at least 3 of the 5 nearest words of each probe
	// are of its class, 30 of the 40 over all probes (by chance: 11 of
	// about 140 words).
	classOf := map[string]string{}
	for name, ws := range classes {
		if strings.HasPrefix(name, "context of ") {
			continue
		}
		for _, w := range ws {
			classOf[w] = name
		}
	}
	lines := strings.Split(strings.TrimSpace(text), "\n")
	// The same of the count-based baseline's nearest words.
	for _, prefix := range []string{"Nearest to ", "PPMI-SVD nearest to "} {
		last := map[string][]string{}
		for _, line := range lines {
			if rest, ok := strings.CutPrefix(line, prefix); ok {
				word, near, _ := strings.Cut(rest, ": ")
				near, _, _ = strings.Cut(near, "  (")
				last[word] = strings.Split(near, ", ")
			}
		}
		total := 0
		for _, p := range probes {
			near := last[p]
			if len(near) != 8 {
				t.Errorf("%s%s: %v, want 8 words", prefix, p, near)
				continue
			}
			same := 0
			for _, w := range near[:5] {
				if classOf[w] == classOf[p] {
					same++
				}
			}
			total += same
			if prefix == "Nearest to " && same < perProbe || prefix != "Nearest to " && same < 3 {
				t.Errorf("%s%s (%s): %v, only %d of the first 5 of its class", prefix, p, classOf[p], near, same)
			}
		}
		want := 30
		if prefix == "Nearest to " {
			want = inAll
		}
		if total < want {
			t.Errorf("%s: %d of the 5 nearest words of the 8 probes are of the probe's class, want at least %d", prefix, total, want)
		}
	}
	if !strings.Contains(text, "the skip-gram and the baseline share ") {
		t.Error("no line saying how many nearest words the skip-gram and the baseline share")
	}
	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatalf("no PNG: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 500 || b.Dy() < 500 {
		t.Errorf("PNG of %v", b)
	}
}

// TestRunErrors: a corpus that is missing, or too small for 64 sampled
// classes, an unknown optimizer and a diverging training are errors, not
// panics.
func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.txt")
	if err := os.WriteFile(small, []byte("in the beginning was the word and the word was with god"), 0o644); err != nil {
		t.Fatal(err)
	}
	corpus, _ := classCorpus(t, 100)
	for _, c := range []struct {
		corpus, optimizer string
		lr                float64
		want              string
	}{
		{filepath.Join(dir, "missing.txt"), "", 0, "no such file"},
		{small, "", 0, "num_sampled 64 is larger than num_classes 9"},
		{corpus, "rmsprop", 0, `-optimizer "rmsprop": want adam or sgd`},
		{corpus, "sgd", 1e6, "training diverged (sgd(1e+06)); try a smaller -lr"},
	} {
		var out bytes.Buffer
		cfg := defaults()
		cfg.corpus, cfg.steps, cfg.seed, cfg.lossEvery, cfg.nearestEvery, cfg.learningRate = c.corpus, 200, 1, 100, 100, c.lr
		if c.optimizer != "" {
			cfg.optimizer = c.optimizer
		}
		err := run(cfg, &out)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("corpus %s: error %v, want one saying %q", c.corpus, err, c.want)
		}
	}
}
