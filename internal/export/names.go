package export

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// maxNameStem bounds the readable part of a name, so a name with its
// identifying suffix stays a valid label value (63 characters) as well.
const maxNameStem = 40

// stripMarks removes accents (é → e, ç → c) after decomposition. A chain
// keeps state, so each use gets its own (the export names in parallel).
func stripMarks() transform.Transformer {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}

// objectName is a valid Kubernetes name (DNS-1123 label) for a Partner
// Center object: its display name in lower case ASCII, with a suffix of its
// Partner Center ID. The suffix makes it unique (two customers may share a
// legal name) and stable across runs (it depends on nothing else).
func objectName(display, id, fallback string) string {
	stem := slug(display)
	if stem == "" {
		stem = fallback
	}
	suffix := strings.ToLower(strings.ReplaceAll(id, "-", ""))
	if len(suffix) > 8 {
		suffix = suffix[:8]
	}
	if suffix == "" {
		return stem
	}
	return stem + "-" + suffix
}

// slug is s in lower-case ASCII letters and digits joined by single
// hyphens, cut at a word boundary to at most maxNameStem characters.
func slug(s string) string {
	plain, _, err := transform.String(stripMarks(), s)
	if err != nil {
		plain = s
	}
	words := strings.FieldsFunc(strings.ToLower(plain), func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9')
	})
	out := ""
	for _, w := range words {
		next := w
		if out != "" {
			next = out + "-" + w
		}
		if len(next) > maxNameStem {
			if out == "" {
				return w[:maxNameStem]
			}
			break
		}
		out = next
	}
	return out
}
