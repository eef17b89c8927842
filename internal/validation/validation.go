// Package validation holds the operator's admission rules as pure functions:
// no I/O, no Kubernetes client, no clock unless one is passed in. Each
// function is named after the domain rule it enforces (see docs/rules.md)
// and returns a field.ErrorList whose messages start with the rule ID and
// say what to change, so a refusal names both the field and the rule.
//
// The validating webhooks (internal/webhook/v1alpha1) and the controllers
// run the same functions: webhooks can be switched off, and a controller then
// ends in Stalled with the same message instead of calling Partner Center.
package validation

import (
	"fmt"
	"strings"
	"unicode"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// specPath is the root of every field path the rules report.
var specPath = field.NewPath("spec")

// Message renders errs as one line for a condition message ("" when none).
func Message(errs field.ErrorList) string {
	if len(errs) == 0 {
		return ""
	}
	return errs.ToAggregate().Error()
}

// ruleMessage prefixes a message with its rule ID ("C2: ...").
func ruleMessage(rule, format string, args ...any) string {
	return rule + ": " + fmt.Sprintf(format, args...)
}

// invalid reports a value that breaks rule.
func invalid(path *field.Path, value any, rule, format string, args ...any) field.ErrorList {
	return field.ErrorList{field.Invalid(path, value, ruleMessage(rule, format, args...))}
}

// forbidden reports a field that rule does not allow to be set.
func forbidden(path *field.Path, rule, format string, args ...any) field.ErrorList {
	return field.ErrorList{field.Forbidden(path, ruleMessage(rule, format, args...))}
}

// required reports a field that rule needs.
func required(path *field.Path, rule, format string, args ...any) field.ErrorList {
	return field.ErrorList{field.Required(path, ruleMessage(rule, format, args...))}
}

// normalizeWords lower-cases s, drops dots and commas and collapses white
// space, so "S.A.", "s a" and "SA" style spellings compare predictably.
func normalizeWords(s string) string {
	s = strings.NewReplacer(".", "", ",", "").Replace(strings.ToLower(s))
	return strings.Join(strings.Fields(s), " ")
}

// hasLetterOrDigit reports whether s contains a letter or a digit in any script.
func hasLetterOrDigit(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// hasNonPrintable reports whether s contains a control or other invisible rune
// (plain spaces are fine).
func hasNonPrintable(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) >= 0
}

// FreeText refuses line breaks, tabs, NUL and other non-printable
// characters in a free-text field: Partner Center stores and prints the
// text as given, and they only ever come from a copy-paste accident.
func FreeText(path *field.Path, value, rule string) field.ErrorList {
	if !hasNonPrintable(value) {
		return nil
	}
	return invalid(path, value, rule, "contains a line break, tab or other non-printable character; give the text on one line")
}

// setOf builds a lookup set from words.
func setOf(words ...string) map[string]bool {
	set := make(map[string]bool, len(words))
	for _, w := range words {
		set[w] = true
	}
	return set
}
