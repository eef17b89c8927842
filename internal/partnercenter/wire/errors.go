package wire

import "fmt"

// Error codes (normalised to strings; the API sends some as numbers, some as strings).
const (
	CodeInvalidInput                = "2000"
	CodeMissingParameter            = "2001"
	CodeSubscriptionETagStale       = "2055"
	CodeMPNInvalid                  = "2200"
	CodeCSPRegionMismatch           = "2201"
	CodeMPANotSigned                = "2203"
	CodeMPNNotIndirectReseller      = "2204"
	CodeAgreementMissing            = "13605"
	CodeSubscriptionNotFound        = "20003"
	CodeNotAllowed                  = "600006"
	CodeRegistrationIDMissing       = "600049"
	CodeRegistrationIDInvalid       = "600050"
	CodePhoneNumberMissing          = "600051"
	CodeDuplicateAgreement          = "600061"
	CodeAccountStatusNotFound       = "600074"
	CodeOrderInvalidInput           = "800002"
	CodeInvalidOfferID              = "800004"
	CodeCreateOrderFailed           = "800005"
	CodeMPNNotFound                 = "800015"
	CodeMPNNotValidIndirectReseller = "800016"
	CodeSandboxLimit                = "800018"
	CodeOrderInProgress             = "800060"
	CodeCustomerUnderReview         = "800073"
	CodeCustomerUnderReviewAlt      = "800074"
	CodeCustomerNotApproved         = "800075"
	CodeQuantityCannotDecrease      = "800090"
	CodeCancellationWindowPassed    = "900117"
	CodeResellerMPANotAccepted      = "900123"
)

// Error names the newer error shape carries in errorName.
const (
	ErrorNameAccountStatusNotFound                  = "AccountStatusNotFound"
	ErrorNamePartnerConfirmedAgreementAlreadyExists = "PartnerConfirmedAgreementAlreadyExists"
)

// ErrorBody is the newer error shape:
// {"code": 600074, "message", "description", "errorName", "isRetryable", "parameters", "errorMessageExtended"}.
// Code is a number or a string; the simulator sets whichever the real API uses for that code.
type ErrorBody struct {
	Code                 any            `json:"code"`
	Message              string         `json:"message,omitempty"`
	Description          string         `json:"description,omitempty"`
	ErrorName            string         `json:"errorName,omitempty"`
	IsRetryable          bool           `json:"isRetryable"`
	Parameters           map[string]any `json:"parameters"`
	ErrorMessageExtended string         `json:"errorMessageExtended,omitempty"`
}

// LegacyErrorBody is the older error shape of the error-codes page:
// {"code": "<string>", "description", "data": [...], "source"}.
type LegacyErrorBody struct {
	Code        string `json:"code"`
	Description string `json:"description"`
	Data        []any  `json:"data,omitempty"`
	Source      string `json:"source,omitempty"`
}

// ThrottleBody is the 429 body: {"statusCode": 429, "message": "Rate limit is exceeded. Try again in N seconds."}.
type ThrottleBody struct {
	StatusCode int    `json:"statusCode"`
	Message    string `json:"message"`
}

// ThrottleMessage is the documented 429 message for a Retry-After of seconds.
func ThrottleMessage(seconds int) string {
	return fmt.Sprintf("Rate limit is exceeded. Try again in %d seconds.", seconds)
}
