package validation

import (
	"regexp"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// countriesWithStates use a region/state in postal addresses; Partner
// Center's address validation needs it there (C5).
var countriesWithStates = []string{"US", "CA", "AU", "BR", "MX", "IN"}

// postalCodeFormats are the postal-code shapes of countries whose format is
// fixed and well known; other countries are left to Partner Center (C5).
var postalCodeFormats = map[string]*regexp.Regexp{
	"US": regexp.MustCompile(`^\d{5}(-\d{4})?$`),
	"BR": regexp.MustCompile(`^\d{5}-?\d{3}$`),
	"NL": regexp.MustCompile(`^\d{4} ?[A-Z]{2}$`),
	"FR": regexp.MustCompile(`^\d{5}$`),
	"DE": regexp.MustCompile(`^\d{5}$`),
	"PT": regexp.MustCompile(`^\d{4}-\d{3}$`),
	"CA": regexp.MustCompile(`^[A-Z]\d[A-Z] ?\d[A-Z]\d$`),
}

// BillingAddress enforces the admission part of C5 before Partner Center's
// own address validation: line 1, city and postal code not blank, every
// line on one line (FreeText), the
// country an assigned ISO 3166-1 alpha-2 code (the CRD pattern only checks
// the shape, so "XX" or "UK" would pass it), a state where the country uses
// one, and the postal code in the country's format.
func BillingAddress(path *field.Path, a *v1alpha1.Address) field.ErrorList {
	var errs field.ErrorList
	for _, f := range []struct {
		value, name string
		required    bool
	}{
		{a.AddressLine1, "addressLine1", true}, {a.AddressLine2, "addressLine2", false}, {a.AddressLine3, "addressLine3", false},
		{a.City, "city", true}, {a.State, "state", false}, {a.PostalCode, "postalCode", true},
	} {
		if f.required && strings.TrimSpace(f.value) == "" {
			errs = append(errs, required(path.Child(f.name), "C5", "the billing address needs %s", f.name)...)
			continue
		}
		errs = append(errs, FreeText(path.Child(f.name), f.value, "C5")...)
	}
	if !IsISOCountry(a.Country) {
		return append(errs, invalid(path.Child("country"), a.Country, "C5", "not an ISO 3166-1 alpha-2 country code (e.g. US, BR, NL, GB)")...)
	}
	if slices.Contains(countriesWithStates, a.Country) && strings.TrimSpace(a.State) == "" {
		errs = append(errs, required(path.Child("state"), "C5", "addresses in %s need a state or region", a.Country)...)
	}
	if format, ok := postalCodeFormats[a.Country]; ok && strings.TrimSpace(a.PostalCode) != "" && !format.MatchString(a.PostalCode) {
		errs = append(errs, invalid(path.Child("postalCode"), a.PostalCode, "C5", "not a postal code of %s", a.Country)...)
	}
	return errs
}

// SegmentQualification enforces C8's admission part: a qualified segment
// needs what Partner Center's qualification request, made after creation,
// requires: educationSegment (K12 or HigherEducation) for Education, the
// validation code Microsoft issued for Government.
func SegmentQualification(path *field.Path, spec *v1alpha1.CustomerSpec) field.ErrorList {
	switch {
	case spec.Segment == v1alpha1.SegmentEducation && spec.EducationSegment == "":
		return required(path.Child("educationSegment"), "C8", "the Education segment needs educationSegment (K12 or HigherEducation) for the qualification request")
	case spec.Segment == v1alpha1.SegmentGovernment && spec.GovernmentValidationCode == "":
		return required(path.Child("governmentValidationCode"), "C8", "the Government segment needs governmentValidationCode (the Government Community Cloud validation code Microsoft issued) for the qualification request")
	}
	return nil
}

// isoCountries are the assigned ISO 3166-1 alpha-2 codes.
var isoCountries = setOf(
	"AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB", "BD", "BE",
	"BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD",
	"CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM",
	"DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
	"GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU",
	"ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN",
	"KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME",
	"MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
	"NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
	"PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI",
	"SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK",
	"TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
	"VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
)

// IsISOCountry reports whether code is an assigned ISO 3166-1 alpha-2 country code.
func IsISOCountry(code string) bool { return isoCountries[code] }
