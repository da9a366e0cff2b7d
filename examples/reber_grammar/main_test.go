package main

import (
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// reberString reports whether s is a string of grammar, walking every path.
func reberString(s string, grammar [][]transition) bool {
	var walk func(state int, rest string) []string // the rests after reaching the end
	walk = func(state int, rest string) []string {
		if state == -1 {
			return []string{rest}
		}
		var ends []string
		for _, tr := range grammar[state] {
			if tr.grammar != nil {
				for _, r := range walkGrammar(tr.grammar, rest) {
					ends = append(ends, walk(tr.next, r)...)
				}
			} else if len(rest) >= len(tr.output) && rest[:len(tr.output)] == tr.output {
				ends = append(ends, walk(tr.next, rest[len(tr.output):])...)
			}
		}
		return ends
	}
	for _, r := range walk(0, s) {
		if r == "" {
			return true
		}
	}
	return false
}

// walkGrammar returns what may remain of s after a string of grammar.
func walkGrammar(grammar [][]transition, s string) []string {
	var rests []string
	var walk func(state int, rest string)
	walk = func(state int, rest string) {
		if state == -1 {
			rests = append(rests, rest)
			return
		}
		for _, tr := range grammar[state] {
			if len(rest) >= len(tr.output) && rest[:len(tr.output)] == tr.output {
				walk(tr.next, rest[len(tr.output):])
			}
		}
	}
	walk(0, s)
	return rests
}

// TestLabels checks the data set's labels against a recogniser of the
// embedded grammar: good strings belong to it, corrupted ones never do
// (one changed character always breaks the grammar), so the labels are
// clean and 100% is reachable.
func TestLabels(t *testing.T) {
	strs, labels := generateStrings(rand.New(rand.NewPCG(1, 2)), 20000)
	for i, s := range strs {
		if got := reberString(s, embeddedReberGrammar); got != (labels[i] == 1) {
			t.Fatalf("%q: label %v, in the grammar %v", s, labels[i], got)
		}
	}
	for _, s := range []string{"BTBPVVETE", "BPBTSSSSSSSXXTTVPXVPXTTTTTVVEPE"} {
		if !reberString(s, embeddedReberGrammar) {
			t.Errorf("%q not recognised", s)
		}
	}
	for _, s := range []string{"BTBPVVEPE", "BPBTSSSSSSSXXTTVPXVPXTTTTTVVETE", "BTBPVTETE"} {
		if reberString(s, embeddedReberGrammar) {
			t.Errorf("%q recognised", s)
		}
	}
}

// TestValidationFollowsTraining checks what the package comment says of
// the notebook's order of draws (the example strings, the training set,
// the reseed, the validation set): the validation set's good strings fall
// into step with the training set's, so nearly all of them are training
// strings, while a set from an independent stream shares only the short
// strings that any two sets share.
func TestValidationFollowsTraining(t *testing.T) {
	const seed = 42
	rng := newRandomState(seed)
	printExamples(io.Discard, rng)
	train, _ := generateStrings(rng, 10000)
	val, _ := generateStrings(newRandomState(seed), 5000)
	indep, _ := generateStrings(rand.New(rand.NewPCG(seed, ^uint64(seed))), 5000)
	inTrain := map[string]bool{}
	for _, s := range train {
		inTrain[s] = true
	}
	shared := func(set []string) (n int) {
		for _, s := range set {
			if len(s) >= 20 && inTrain[s] {
				n++
			}
		}
		return n
	}
	v, ind := shared(val), shared(indep)
	t.Logf("strings of 20 characters or more also in the training set: validation %d, independent %d", v, ind)
	if v < 5*ind || v < 50 {
		t.Errorf("validation shares %d long strings with the training set, an independent set %d: no lock-step", v, ind)
	}
}

// TestNotebookStrings checks that the example draws the notebook's own
// strings: its printed example strings (copied from the notebook's stored
// outputs) and what it shows of the training set (X_train[0] is a bad
// string of 23 characters, padded to 39 steps).
func TestNotebookStrings(t *testing.T) {
	want := `BTXXTTVPXTVPXTTVPSE BPVPSE BTXSE BPVVE BPVVE BTSXSE BPTVPXTTTVVE BPVVE BTXSE BTXXVPSE BPTTTTTTTTVVE BTXSE BPVPSE BTXSE BPTVPSE BTXXTVPSE BPVVE BPVVE BPVVE BPTTVVE BPVVE BPVVE BTXXVVE BTXXVVE BTXXVPXVVE 
BTBPVVETE BTBTSSSSSSSXXVVETE BPBTSSSXXTTTTVPSEPE BTBPTTVVETE BPBTXXTVVEPE BTBTXSETE BPBTSSSSSXXTTVPXVPXTTTVVEPE BPBTSSXXTVPSEPE BPBPTTTTTTTVPSEPE BTBTSXSETE BPBPTVPXVVEPE BPBPVVEPE BPBPTVVEPE BTBPTTVPXTTVPSETE BTBTSSXSETE BTBTXXTTVVETE BPBTSXSEPE BPBPTVPSEPE BTBPVVETE BPBTXXTTTVPXTVVEPE BPBPTTVPXTVVEPE BTBPVVETE BPBPTVPXVPXTVVEPE BTBPVVETE BPBTSXSEPE 
BTTTXXVVETE BPBTXXSPXTVVEPE BTBTXSPTE BPTTSXXTVPXVVEPE PPBPVPSEPE BTBPTVETE BPTTSSSSSXSEPE BPBSVPSEPE BTBPVVESE BPBTXSEPS BEBTXSETE XPBTXXTVPSEPE BTBPVVEPE BTXPTVVETE BTBPVXETE BVBTXSETE BPTTXXVPXVPSEPE BTBPXVPSETE STBPTTVPXVPXTVPSETE BPBPTVPSESE BPBPVEEPE ETBTXSETE BTBTXSVTE BPBTXXVPSEPP BTBTXXVPSETS 
`
	rng := newRandomState(42)
	var b strings.Builder
	printExamples(&b, rng)
	if b.String() != want {
		t.Errorf("example strings\n%s\nwant the notebook's\n%s", b.String(), want)
	}
	X, l, y := generateDataset(rng, 10000)
	if len(X[0]) != 39 || l[0] != 23 || y[0][0] != 0 {
		t.Errorf("X_train[0] has %d steps, l_train[0] = %d, y_train[0] = %v; the notebook shows 39, 23, [0]", len(X[0]), l[0], y[0])
	}
}
