package service

import (
	_ "embed"
	"net/http"
)

// openAPI is the OpenAPI 3.1 document of the API, served at
// /v1/openapi.json. TestOpenAPIMatchesRoutes checks it against the routes
// and the error codes.
//
//go:embed openapi.json
var openAPI []byte

func (s *Service) handleOpenAPI(w http.ResponseWriter, r *http.Request) *apiError {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(openAPI)
	return nil
}
