// Package dates is the translation task of examples/translation and of the
// chapter 14 notebook's machine translation section: dates written by
// people, in words or numbers and in three word orders, to be translated
// into ISO dates.
//
//	"the twenty first of march nineteen ninety eight" -> "1998-03-21"
//	"march 21 , 1998"                                 -> "1998-03-21"
//	"21 march two thousand four"                      -> "2004-03-21"
//
// Days are numbers or ordinal words, years numbers or words (1950-2049);
// a model must learn that "twenty first" is 21, which month is which
// number, and to reorder. The task has real structure and needs no
// download: a Task draws training batches and keeps held-out dates whose
// ISO forms never appear in training.
package dates

import (
	"fmt"
	"math/rand"
	"strings"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/tf"
)

// The sequence lengths: the encoder reads EncSteps word ids (the longest
// human form has 8 words), the decoder DecSteps symbols (GO, then the
// ISOLen characters of "yyyy-mm-dd"); the targets are the ISO characters
// then EOS.
const (
	EncSteps = 10
	ISOLen   = 10
	DecSteps = ISOLen + 1
)

// The ids every vocabulary starts with.
const (
	PAD = 0 // padding
	GO  = 1 // the decoder's first input
	EOS = 2 // the end of a target sequence
)

var (
	months = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
	ones   = []string{"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
	tens   = []string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
	ords   = []string{"", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"}
	days   = []int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
)

// ordinal writes 1..31 as an ordinal ("twenty first", "thirtieth").
func ordinal(d int) string {
	switch {
	case d < 20:
		return ords[d]
	case d%10 == 0:
		return strings.TrimSuffix(tens[d/10], "y") + "ieth"
	}
	return tens[d/10] + " " + ords[d%10]
}

// yearWords writes 1950..2049 as people say them.
func yearWords(y int) string {
	if y >= 2000 {
		r := y - 2000
		switch {
		case r == 0:
			return "two thousand"
		case r < 20:
			return "two thousand " + ones[r]
		}
		return "two thousand " + strings.TrimSpace(tens[r/10]+" "+ones[r%10])
	}
	r := y - 1900
	return "nineteen " + strings.TrimSpace(tens[r/10]+" "+ones[r%10])
}

// Date is one example: its human form (words separated by single spaces)
// and its ISO form.
type Date struct{ Human, ISO string }

// Random draws a date between 1950 and 2049 and one of the human formats.
func Random(r *rand.Rand) Date {
	y := 1950 + r.Intn(100)
	m := r.Intn(12)
	d := 1 + r.Intn(days[m])
	day := fmt.Sprint(d)
	if r.Intn(2) == 0 {
		day = ordinal(d)
	}
	year := fmt.Sprint(y)
	if r.Intn(2) == 0 {
		year = yearWords(y)
	}
	var h string
	switch r.Intn(3) {
	case 0:
		h = day + " " + months[m] + " " + year
	case 1:
		h = months[m] + " " + day + " , " + year
	default:
		h = "the " + day + " of " + months[m] + " " + year
	}
	return Date{Human: h, ISO: fmt.Sprintf("%04d-%02d-%02d", y, m+1, d)}
}

// Vocab maps tokens to ids: PAD, GO and EOS first ("<pad>", "<go>",
// "<eos>"), then the tokens in first-seen order.
type Vocab struct {
	IDs    map[string]int
	Tokens []string
}

func newVocab(tokens []string) *Vocab {
	v := &Vocab{IDs: map[string]int{}, Tokens: []string{"<pad>", "<go>", "<eos>"}}
	for _, t := range tokens {
		if _, ok := v.IDs[t]; !ok {
			v.IDs[t] = len(v.Tokens)
			v.Tokens = append(v.Tokens, t)
		}
	}
	for i, t := range v.Tokens[:3] {
		v.IDs[t] = i
	}
	return v
}

// Len is the number of symbols (num_encoder_symbols or
// num_decoder_symbols).
func (v *Vocab) Len() int { return len(v.Tokens) }

// SourceVocab holds every word and number the human forms use.
func SourceVocab() *Vocab {
	toks := []string{"the", "of", ","}
	toks = append(toks, months...)
	for d := 1; d <= 31; d++ {
		toks = append(toks, fmt.Sprint(d))
		toks = append(toks, strings.Fields(ordinal(d))...)
	}
	for y := 1950; y < 2050; y++ {
		toks = append(toks, fmt.Sprint(y))
		toks = append(toks, strings.Fields(yearWords(y))...)
	}
	return newVocab(toks)
}

// TargetVocab holds the ISO form's characters.
func TargetVocab() *Vocab { return newVocab(strings.Split("0123456789-", "")) }

// Task is the translation task with its vocabularies, a held-out test set
// and a seeded source of training batches.
type Task struct {
	Source, Target *Vocab
	// Test holds the held-out dates: their ISO forms (the dates
	// themselves, in any wording) never appear in a training batch.
	Test []Date

	r      *rand.Rand
	unseen map[string]bool
}

// NewTask draws heldOut distinct test dates, then serves training batches,
// all from one source seeded with seed.
func NewTask(seed int64, heldOut int) *Task {
	t := &Task{Source: SourceVocab(), Target: TargetVocab(), r: rand.New(rand.NewSource(seed)), unseen: map[string]bool{}}
	for len(t.Test) < heldOut {
		d := Random(t.r)
		if !t.unseen[d.ISO] {
			t.unseen[d.ISO] = true
			t.Test = append(t.Test, d)
		}
	}
	return t
}

// NextBatch draws n training dates, none of them a held-out date.
func (t *Task) NextBatch(n int) []Date {
	out := make([]Date, 0, n)
	for len(out) < n {
		if d := Random(t.r); !t.unseen[d.ISO] {
			out = append(out, d)
		}
	}
	return out
}

// Encode turns dates into the encoder's ids x, [len(ds), EncSteps] (the
// words reversed and padded at the front, as TF's translation tutorial),
// and y, [len(ds), DecSteps+1]: GO, the ISO characters, EOS (the
// notebook's Y, whose Y[:, :-1] feeds the decoder and Y[:, 1:] is the
// target).
func (t *Task) Encode(ds []Date) (x, y *tensor.Dense) {
	xs := make([]int32, len(ds)*EncSteps)
	ys := make([]int32, len(ds)*(DecSteps+1))
	for b, d := range ds {
		words := strings.Fields(d.Human)
		for i, w := range words {
			xs[b*EncSteps+EncSteps-1-i] = int32(t.Source.IDs[w])
		}
		row := ys[b*(DecSteps+1):]
		row[0] = GO
		for i, c := range strings.Split(d.ISO, "") {
			row[1+i] = int32(t.Target.IDs[c])
		}
		row[DecSteps] = EOS
	}
	return tensor.New(tensor.WithShape(len(ds), EncSteps), tensor.WithBacking(xs)),
		tensor.New(tensor.WithShape(len(ds), DecSteps+1), tensor.WithBacking(ys))
}

// EncodeQuestions is Encode with y's targets left out (PAD): only the GO
// symbol is there, all a greedy decoder (feed_previous) reads, so decoding
// cannot peek at the answers.
func (t *Task) EncodeQuestions(ds []Date) (x, y *tensor.Dense) {
	x, y = t.Encode(ds)
	yb := y.Data().([]int32)
	for b := range ds {
		for i := 1; i <= DecSteps; i++ {
			yb[b*(DecSteps+1)+i] = PAD
		}
	}
	return x, y
}

// Decode reads the decoder's predictions, one [batch] array of target ids
// per step (tf.ArgMax of each step's logits), as ISO strings: the first
// ISOLen steps of each row, special symbols written as their tokens.
func (t *Task) Decode(steps []*tf.Array) ([]string, error) {
	if len(steps) < ISOLen {
		return nil, fmt.Errorf("dates.Decode: %d steps, want at least %d", len(steps), ISOLen)
	}
	var batch int
	ids := make([][]float64, ISOLen)
	for i := range ids {
		if steps[i] == nil {
			return nil, fmt.Errorf("dates.Decode: step %d is nil", i)
		}
		ids[i] = steps[i].Float64s()
		if i == 0 {
			batch = len(ids[0])
		} else if len(ids[i]) != batch {
			return nil, fmt.Errorf("dates.Decode: step %d holds %d ids, step 0 %d", i, len(ids[i]), batch)
		}
	}
	out := make([]string, batch)
	for b := range out {
		var sb strings.Builder
		for i := range ids {
			id := int(ids[i][b])
			if id < 0 || id >= len(t.Target.Tokens) || float64(id) != ids[i][b] {
				return nil, fmt.Errorf("dates.Decode: id %v at step %d of row %d is not a target symbol (0..%d)", ids[i][b], i, b, len(t.Target.Tokens)-1)
			}
			sb.WriteString(t.Target.Tokens[id])
		}
		out[b] = sb.String()
	}
	return out, nil
}

// ExactMatch is the fraction of decoded strings equal to the ISO forms of
// ds.
func ExactMatch(decoded []string, ds []Date) float64 {
	if len(ds) == 0 {
		return 0
	}
	right := 0
	for i, d := range ds {
		if i < len(decoded) && decoded[i] == d.ISO {
			right++
		}
	}
	return float64(right) / float64(len(ds))
}
