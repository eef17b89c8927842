package export

import (
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"
)

func TestObjectNamesAreValidStableAndUnique(t *testing.T) {
	for _, tc := range []struct {
		name, display, id, want string
	}{
		{"plain name", "Contoso Ltd", "1a2b3c4d-0000-0000-0000-000000000000", "contoso-ltd-1a2b3c4d"},
		{"accents and punctuation", "Müller & Söhne, S.A.", "ABCDEF12-0000-0000-0000-000000000000", "muller-sohne-s-a-abcdef12"},
		{"the same legal name, another customer", "Contoso Ltd", "99999999-0000-0000-0000-000000000000", "contoso-ltd-99999999"},
		{"nothing usable in the name", "株式会社", "0badcafe-0000-0000-0000-000000000000", "customer-0badcafe"},
		{"a long name is cut at a word boundary's hyphen", "The Very Long Company Name Of Adventure Works International Holdings", "12345678-0000-0000-0000-000000000000", "the-very-long-company-name-of-adventure-12345678"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := objectName(tc.display, tc.id, "customer")
			if got != tc.want {
				t.Fatalf("objectName(%q) = %q, want %q", tc.display, got, tc.want)
			}
			if errs := validation.IsDNS1123Label(got); len(errs) > 0 {
				t.Fatalf("%q is not a valid name: %v", got, errs)
			}
			if again := objectName(tc.display, tc.id, "customer"); again != got {
				t.Fatalf("not stable: %q then %q", got, again)
			}
		})
	}
}
