package main

import (
	"fmt"
	"math/rand"
	"strings"
)

// The task: dates written by people, in words, translated into ISO dates:
//
//	"the twenty first of march nineteen ninety eight" -> "1998-03-21"
//	"march 21 , 1998"                                 -> "1998-03-21"
//	"21 march two thousand four"                      -> "2004-03-21"
//
// Days are numbers or ordinal words, years numbers or words (1950-2049);
// the model must learn that "twenty first" is 21, which month is which
// number, and to reorder.

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

// date is one example: its human form and its ISO form.
type date struct{ human, iso string }

// randomDate draws a date between 1950 and 2049 and one of the human
// formats.
func randomDate(r *rand.Rand) date {
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
	return date{human: h, iso: fmt.Sprintf("%04d-%02d-%02d", y, m+1, d)}
}

// vocab maps tokens to ids: 0 is padding (PAD), 1 GO, 2 EOS.
type vocab struct {
	ids    map[string]int
	tokens []string
}

func newVocab(tokens []string) *vocab {
	v := &vocab{ids: map[string]int{}, tokens: []string{"<pad>", "<go>", "<eos>"}}
	for _, t := range tokens {
		if _, ok := v.ids[t]; !ok {
			v.ids[t] = len(v.tokens)
			v.tokens = append(v.tokens, t)
		}
	}
	for i, t := range v.tokens[:3] {
		v.ids[t] = i
	}
	return v
}

// sourceVocab holds every word and number the human forms use.
func sourceVocab() *vocab {
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

// targetVocab holds the ISO form's characters.
func targetVocab() *vocab { return newVocab(strings.Split("0123456789-", "")) }
