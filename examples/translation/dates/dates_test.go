package dates

import (
	"math/rand"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/tf"
)

func TestDateWords(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{ordinal(1), "first"}, {ordinal(12), "twelfth"}, {ordinal(20), "twentieth"},
		{ordinal(21), "twenty first"}, {ordinal(30), "thirtieth"}, {ordinal(31), "thirty first"},
		{yearWords(1950), "nineteen fifty"}, {yearWords(1998), "nineteen ninety eight"},
		{yearWords(2000), "two thousand"}, {yearWords(2013), "two thousand thirteen"}, {yearWords(2049), "two thousand forty nine"},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
}

func TestEncodeDates(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	task := NewTask(1, 0)
	src, tgt := task.Source, task.Target
	var ds []Date
	for range 200 {
		d := Random(r)
		if len(strings.Fields(d.Human)) > EncSteps {
			t.Fatalf("%q has more than %d words", d.Human, EncSteps)
		}
		for _, w := range strings.Fields(d.Human) {
			if _, ok := src.IDs[w]; !ok {
				t.Fatalf("word %q of %q is not in the vocabulary", w, d.Human)
			}
		}
		ds = append(ds, d)
	}
	x, y := task.Encode(ds)
	xs, ys := x.Data().([]int32), y.Data().([]int32)
	for b, d := range ds {
		words := strings.Fields(d.Human)
		// reversed, padded at the front
		if got := src.Tokens[xs[b*EncSteps+EncSteps-1]]; got != words[0] {
			t.Errorf("%q: last encoder step is %q, want its first word", d.Human, got)
		}
		var iso strings.Builder
		for i := 1; i <= ISOLen; i++ {
			iso.WriteString(tgt.Tokens[ys[b*(DecSteps+1)+i]])
		}
		if iso.String() != d.ISO || ys[b*(DecSteps+1)] != GO || ys[b*(DecSteps+1)+DecSteps] != EOS {
			t.Errorf("%q: decoder row %v", d.ISO, ys[b*(DecSteps+1):(b+1)*(DecSteps+1)])
		}
	}
	_, q := task.EncodeQuestions(ds)
	qs := q.Data().([]int32)
	for b := range ds {
		row := qs[b*(DecSteps+1) : (b+1)*(DecSteps+1)]
		if row[0] != GO {
			t.Errorf("question row %d starts with %d, want GO", b, row[0])
		}
		for i, id := range row[1:] {
			if id != PAD {
				t.Errorf("question row %d holds %d at %d: the answer leaks", b, id, i+1)
			}
		}
	}
}

// The held-out dates are distinct and no training batch holds one.
func TestTaskHoldsOut(t *testing.T) {
	task := NewTask(7, 300)
	test := map[string]bool{}
	for _, d := range task.Test {
		if test[d.ISO] {
			t.Fatalf("held-out date %s drawn twice", d.ISO)
		}
		test[d.ISO] = true
	}
	if len(test) != 300 {
		t.Fatalf("%d held-out dates, want 300", len(test))
	}
	for range 50 {
		for _, d := range task.NextBatch(64) {
			if test[d.ISO] {
				t.Fatalf("training date %q is held out", d.Human)
			}
		}
	}
	// Seeded: a second task repeats the first.
	again := NewTask(7, 300)
	for i := range task.Test {
		if again.Test[i] != task.Test[i] {
			t.Fatalf("test date %d: %v then %v", i, task.Test[i], again.Test[i])
		}
	}
}

func TestDecode(t *testing.T) {
	task := NewTask(1, 0)
	ds := []Date{{ISO: "1998-03-21"}, {ISO: "2004-11-02"}}
	steps := make([]*tf.Array, DecSteps)
	for i := range steps {
		ids := make([]int64, len(ds))
		for b, d := range ds {
			if i < ISOLen {
				ids[b] = int64(task.Target.IDs[d.ISO[i:i+1]])
			} else {
				ids[b] = EOS
			}
		}
		steps[i] = tf.NewArray(tensor.New(tensor.WithShape(len(ds)), tensor.WithBacking(ids)))
	}
	got, err := task.Decode(steps)
	if err != nil {
		t.Fatal(err)
	}
	if got[0] != "1998-03-21" || got[1] != "2004-11-02" {
		t.Errorf("decoded %q", got)
	}
	if m := ExactMatch([]string{"1998-03-21", "2004-11-03"}, ds); m != 0.5 {
		t.Errorf("exact match %v, want 0.5", m)
	}
	steps[3] = tf.NewArray(tensor.New(tensor.WithShape(len(ds)), tensor.WithBacking([]int64{1, 99})))
	if _, err := task.Decode(steps); err == nil || !strings.Contains(err.Error(), "99") {
		t.Errorf("id 99 decoded without an error naming it: %v", err)
	}
	if _, err := task.Decode(steps[:3]); err == nil {
		t.Error("3 steps decoded without an error")
	}
}
