package io.ghostwatch.notify;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The one call both channels take: POST a JSON body to the configured URL. Null headers are not sent.
 * AutoCloseable, as MicroProfile REST Client allows: closing releases the client's connections.
 */
public interface HookClient extends AutoCloseable {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Response post(@HeaderParam(Signature.TIMESTAMP_HEADER) String timestamp,
                  @HeaderParam(Signature.SIGNATURE_HEADER) String signature,
                  @HeaderParam("Idempotency-Key") String idempotencyKey,
                  @HeaderParam("X-Ghostwatch-Event") String event,
                  String body);
}
