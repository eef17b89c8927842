package validation

import (
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// maxCompanyNameLength is Partner Center's limit for a company name (C2).
const maxCompanyNameLength = 255

// maxContactNameLength is Partner Center's limit for a contact's first or last name (C3).
const maxContactNameLength = 40

// legalForms are company legal-form words and abbreviations in the spelling
// normalizeWords gives them ("S.A." -> "sa"). Alone they are not a name (C2).
var legalForms = setOf(
	"llc", "inc", "ltd", "gmbh", "bv", "sa", "ltda", "corp", "co", "plc", "ag", "nv", "srl",
	"sarl", "sas", "spa", "pty", "llp", "lp", "oy", "ab", "kk", "bvba", "kft", "ooo", "eireli",
	"mei", "epp", "limited", "incorporated", "corporation", "sp z oo", "pty ltd", "co ltd",
)

// genericCompanyWords are words that name no company on their own; they are
// ignored when looking for a test name ("Test Company Ltd" is still "test").
var genericCompanyWords = setOf("company", "customer", "empresa", "companhia", "bedrijf", "société", "societe", "the")

// testCompanyNames are the obvious test or keyboard-mash names (C2).
var testCompanyNames = setOf(
	"test", "testing", "teste", "tester", "test test", "asdf", "asdfgh", "qwerty", "qwertz",
	"azerty", "dummy", "sample", "example", "demo", "foo", "foobar", "abc", "xyz", "tbd", "n/a",
)

// placeholderContactNames are placeholders, not a person's name (C3).
var placeholderContactNames = setOf(
	"test", "teste", "testing", "tester", "admin", "administrator", "nobody", "n/a", "none",
	"null", "unknown", "anonymous", "tbd", "asdf", "qwerty", "dummy", "placeholder",
	"firstname", "first name", "lastname", "last name", "noname", "no name",
)

// domainSuffix finds a web address inside a company name ("Contoso.com",
// "Loja.com.br"), which is usually not the legal name (C2 warning).
var domainSuffix = regexp.MustCompile(`(?i)[\p{L}\p{N}-]{2,}\.(com|net|org|info|biz|io|app|dev|online|shop|store|tech|[a-z]{2})(\.[a-z]{2})?($|[\s,;/)])`)

// microsoftDomain is Microsoft's own mail domain; customers are never in it (C4).
const microsoftDomain = "microsoft.com"

// hostname matches a DNS host name with a top-level domain: mail.ParseAddress
// also accepts "a@b_c" or "a@localhost", which Partner Center refuses.
var hostname = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$`)

// Customer runs every admission rule of a Customer (C1, C2, C3, C4, C5, C8, R3) and
// returns all violations at once, plus warnings for accepted but doubtful
// values. Empty optional fields are left to the CRD's own rules.
func Customer(c *v1alpha1.Customer, cfg config.Operator) (field.ErrorList, []string) {
	spec := c.Spec
	errs := PartnerRoleMayCreate(specPath.Child("domain"), cfg.Role, spec.Domain)
	errs = append(errs, ResellerRefNeedsProvider(specPath.Child("indirectResellerRef"), spec.IndirectResellerRef, cfg.Role)...)
	var warnings []string
	if spec.CompanyName != "" {
		var nameErrs field.ErrorList
		nameErrs, warnings = CompanyName(specPath.Child("companyName"), spec.CompanyName)
		errs = append(errs, nameErrs...)
	}
	if spec.Email != "" {
		errs = append(errs, CustomerEmail(specPath.Child("email"), spec.Email, cfg.PartnerDomain)...)
	}
	if spec.PrimaryContact != nil {
		errs = append(errs, primaryContact(specPath.Child("primaryContact"), spec.PrimaryContact, cfg.PartnerDomain)...)
	}
	if spec.Address != nil {
		errs = append(errs, BillingAddress(specPath.Child("address"), spec.Address)...)
	}
	errs = append(errs, SegmentQualification(specPath, &spec)...)
	if spec.Address != nil {
		errs = append(errs, RegistrationIDFormat(specPath.Child("companyRegistrationID"), spec.CompanyRegistrationID, spec.Address.Country)...)
	}
	return errs, warnings
}

// RegistrationIDFormat enforces the format part of C6: in the countries that
// require a company registration ID, Partner Center refuses one not of its
// format (600050) when the customer is created; refuse it at admission
// instead. The presence of the ID and the phone is a CEL rule of the CRD.
func RegistrationIDFormat(path *field.Path, id, country string) field.ErrorList {
	if id == "" || !slices.Contains(wire.RegistrationNumberCountries, country) || wire.RegistrationIDFormat.MatchString(id) {
		return nil
	}
	return invalid(path, id, "C6", "not a company registration ID Partner Center accepts for %s (it would refuse it with error 600050): give the company tax ID as 5 to 20 letters, digits, '-' or '/', without spaces or dots, e.g. 12345678000190", country)
}

// primaryContact checks the contact's names (C3) and e-mail (C4).
func primaryContact(path *field.Path, contact *v1alpha1.Contact, partnerDomain string) field.ErrorList {
	errs := ContactName(path.Child("firstName"), contact.FirstName)
	errs = append(errs, ContactName(path.Child("lastName"), contact.LastName)...)
	if contact.Email != "" {
		errs = append(errs, CustomerEmail(path.Child("email"), contact.Email, partnerDomain)...)
	}
	return errs
}

// PartnerRoleMayCreate enforces C1: an indirect reseller may not create a
// customer tenant (domain set); it may only build a relationship with an
// existing customer.
func PartnerRoleMayCreate(path *field.Path, role config.PartnerRole, domain string) field.ErrorList {
	if domain == "" || role.CanCreateCustomers() {
		return nil
	}
	return forbidden(path, "C1",
		"this operator acts for an %s, which may not create a new customer tenant; it may only build a relationship with an existing customer: remove spec.domain and set spec.existingCustomerTenantID to the customer's tenant ID (or ask your indirect provider to create the customer)",
		role)
}

// CompanyName enforces C2: the company's exact legal name. It returns the
// violations and, separately, warnings for names that are accepted but
// probably not the legal name (a web address inside).
func CompanyName(path *field.Path, name string) (field.ErrorList, []string) {
	if problem := companyNameProblem(name); problem != "" {
		return invalid(path, name, "C2", "%s; give the company's exact legal name (2 to 255 characters)", problem), nil
	}
	if domainSuffix.MatchString(name) {
		return nil, []string{ruleMessage("C2", "%s %q looks like a web address, not a legal name; use the company's exact legal name if it differs", path, name)}
	}
	return nil, nil
}

// companyNameProblem says what makes name unacceptable under C2, or "" if nothing.
func companyNameProblem(name string) string {
	trimmed := strings.TrimSpace(name)
	length := utf8.RuneCountInString(trimmed)
	normalized := normalizeWords(trimmed)
	switch {
	case trimmed == "":
		return "the name is empty or only spaces/tabs"
	case length == 1:
		return "a single character is not a company name"
	case utf8.RuneCountInString(name) > maxCompanyNameLength:
		return "the name is longer than 255 characters"
	case hasNonPrintable(trimmed):
		return "the name contains tabs, line breaks or other non-printable characters"
	case !hasLetterOrDigit(trimmed):
		return "the name has only special characters"
	case singleCharactersSpaced(trimmed):
		return "single characters separated by spaces are not a company name"
	case isRepeatedCharacter(trimmed):
		return "one character repeated is not a company name"
	case legalForms[normalized]:
		return "a legal-form abbreviation alone is not a company name"
	case testCompanyNames[withoutGenericWords(normalized)]:
		return "this looks like a test name"
	case withoutGenericWords(normalized) == "":
		return "a generic word or legal form alone is not a company name"
	}
	return ""
}

// singleCharactersSpaced reports names like "1 2 3" or "A B C".
func singleCharactersSpaced(s string) bool {
	words := strings.Fields(s)
	if len(words) < 2 {
		return false
	}
	for _, w := range words {
		if utf8.RuneCountInString(w) != 1 {
			return false
		}
	}
	return true
}

// isRepeatedCharacter reports names that are one character three or more times ("999", "aaaa").
func isRepeatedCharacter(s string) bool {
	runes := []rune(strings.ToLower(s))
	if len(runes) < 3 {
		return false
	}
	for _, r := range runes[1:] {
		if r != runes[0] {
			return false
		}
	}
	return true
}

// withoutGenericWords drops legal forms and generic words from a normalized
// name, leaving what actually names the company.
func withoutGenericWords(normalized string) string {
	var kept []string
	for _, w := range strings.Fields(normalized) {
		if !legalForms[w] && !genericCompanyWords[w] {
			kept = append(kept, w)
		}
	}
	return strings.Join(kept, " ")
}

// ContactName enforces C3 on a primary contact's first or last name.
func ContactName(path *field.Path, name string) field.ErrorList {
	if problem := contactNameProblem(name); problem != "" {
		return invalid(path, name, "C3", "%s; give the person's real name (at most 40 characters)", problem)
	}
	return nil
}

// contactNameProblem says what makes name unacceptable under C3, or "" if nothing.
func contactNameProblem(name string) string {
	trimmed := strings.TrimSpace(name)
	runes := []rune(trimmed)
	switch {
	case trimmed == "":
		return "the name is empty"
	case len(runes) > maxContactNameLength:
		return "the name is longer than 40 characters"
	case hasNonPrintable(trimmed):
		return "the name contains non-printable characters"
	case strings.IndexFunc(trimmed, unicode.IsLetter) < 0:
		return "the name has no letter (only digits, punctuation, emoji or symbols)"
	case len(runes) == 1 && !isCJK(runes[0]):
		return "a single character is not a name (only names in CJK script may be one character)"
	case placeholderContactNames[strings.Join(strings.Fields(strings.ToLower(trimmed)), " ")]:
		return "this is a placeholder, not a name"
	}
	return ""
}

// isCJK reports whether r is a Chinese, Japanese or Korean character, where
// one-character names are common (C3).
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// CustomerEmail enforces C4: a valid bare address, not in microsoft.com and
// not in the partner's own domain (either including subdomains).
func CustomerEmail(path *field.Path, email, partnerDomain string) field.ErrorList {
	domain, ok := emailDomain(email)
	switch {
	case !ok:
		return invalid(path, email, "C4", "not a valid e-mail address; give the customer's own address, like name@company.example")
	case inDomain(domain, microsoftDomain):
		return invalid(path, email, "C4", "an address in %s is not the customer's; give an address in the customer's own domain", microsoftDomain)
	case inDomain(domain, partnerDomain):
		return invalid(path, email, "C4", "an address in the partner's own domain %s is not the customer's; give an address in the customer's own domain", partnerDomain)
	}
	return nil
}

// emailDomain parses a bare e-mail address and returns its lower-cased
// domain. Display names ("Ana <ana@x.com>") are refused: Partner Center
// wants the bare address.
func emailDomain(email string) (string, bool) {
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" {
		return "", false
	}
	domain := strings.ToLower(addr.Address[strings.LastIndexByte(addr.Address, '@')+1:])
	return domain, hostname.MatchString(domain)
}

// inDomain reports whether host is domain or one of its subdomains.
func inDomain(host, domain string) bool {
	domain = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(domain), "@"))
	return domain != "" && (host == domain || strings.HasSuffix(host, "."+domain))
}
