package wire

import "regexp"

// RegistrationIDFormat is the organizationRegistrationNumber Partner Center
// accepts from a customer in the RegistrationNumberCountries; anything else
// is refused with 400 600050. The real per-country patterns are
// undocumented: 5 to 20 letters, digits, '-' or '/'.
var RegistrationIDFormat = regexp.MustCompile(`^[0-9A-Za-z/-]{5,20}$`)
