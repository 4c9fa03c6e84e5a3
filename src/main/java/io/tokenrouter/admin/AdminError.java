package io.tokenrouter.admin;

/**
 * A refusal the admin API answers in OpenAI's error shape. Thrown from a resource's work; the
 * message is written for the person who sent the request.
 */
final class AdminError extends RuntimeException {
  final int status;
  final String type;
  final String param;
  final String code;

  AdminError(int status, String message, String type, String param, String code) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  static AdminError badRequest(String param, String message) {
    return new AdminError(400, message, "invalid_request_error", param, "invalid_value");
  }

  static AdminError notFound(String message) {
    return new AdminError(404, message, "invalid_request_error", null, "not_found");
  }

  static AdminError conflict(String message) {
    return new AdminError(409, message, "invalid_request_error", null, "conflict");
  }
}
