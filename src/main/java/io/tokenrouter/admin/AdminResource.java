package io.tokenrouter.admin;

import io.vertx.ext.web.Router;

/**
 * One kind of thing the admin API manages (keys, users, usage...), mounting its own routes under
 * /admin. A new kind (providers, model mappings, prices) is a new implementation listed in
 * {@link AdminRoutes}; the token check, body parsing, errors and audit are shared.
 */
interface AdminResource {
  void mount(Router router);
}
