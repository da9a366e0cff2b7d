package main

import (
	"io"
	"math/rand/v2"
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
	rng := rand.New(rand.NewPCG(seed, seed))
	printExamples(io.Discard, rng)
	train, _ := generateStrings(rng, 10000)
	val, _ := generateStrings(rand.New(rand.NewPCG(seed, seed)), 5000)
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
