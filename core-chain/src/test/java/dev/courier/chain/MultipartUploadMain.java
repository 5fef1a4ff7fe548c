package dev.courier.chain;

import dev.courier.MediaType;
import dev.courier.MultipartBody;
import dev.courier.Request;
import dev.courier.RequestBody;
import dev.courier.Response;
import java.io.File;

/**
 * Uploads a file as a multipart form part and prints the status and response body; run in a JVM
 * whose heap is smaller than the file by {@link FormAndMultipartWireTest}.
 */
public final class MultipartUploadMain {
  private MultipartUploadMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    File file = new File(args[1]);
    try (CourierClient client = new CourierClient()) {
      upload(client, url, file);
    }
  }

  private static void upload(CourierClient client, String url, File file) throws Exception {
    MultipartBody body = new MultipartBody.Builder("upload-boundary")
        .setType(MultipartBody.FORM)
        .addFormDataPart("file", file.getName(), RequestBody.create(file, MediaType.get("application/octet-stream")))
        .build();
    Request request = new Request.Builder().url(url).post(body).build();
    try (Response response = client.newCall(request).execute()) {
      System.out.println(response.code() + " " + response.body().string());
    }
  }
}
