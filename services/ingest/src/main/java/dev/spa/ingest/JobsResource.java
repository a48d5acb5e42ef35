package dev.spa.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** GET /jobs/{id}: the job's latest status (JSON), from the compacted status topic. */
@Path("/jobs")
public class JobsResource {
    @Inject
    StatusView statuses;

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) throws InvalidProtocolBufferException {
        var status = statuses.get(id);
        if (status.isEmpty()) {
            return Response.status(404).entity("{\"error\":\"no job '" + id.replaceAll("[^A-Za-z0-9._-]", "?") + "'\"}").build();
        }
        return Response.ok(JsonFormat.printer().print(status.get())).build();
    }
}
