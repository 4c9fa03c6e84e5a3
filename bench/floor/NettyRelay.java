import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;

/**
 * The floor of a JVM relay on Netty: what HTTP/1.1 proxying costs with Netty's codecs and
 * nothing else (no framework layer, no gateway work), measured beside nginx and the gateway by
 * {@code bench/run.sh} with {@code FLOORS=1}. Not part of the product.
 *
 * <p>One event loop; each client connection gets one upstream connection on the same loop, kept
 * for the connection's life (as nginx's keepalive pool does under wrk's fixed connections), to
 * SLOW_PORT when the connection's first request is under {@code /slow/} (the prefix dropped, as
 * the nginx beside it does), else to UPSTREAM_PORT. The
 * request is aggregated (the gateway needs whole bodies too), forwarded as Netty decoded it; the
 * response's parts are passed on without copies and flushed once per upstream read, as nginx
 * writes once per read.
 *
 * <p>Run: {@code java -cp target/tokenrouter.jar bench/floor/NettyRelay.java PORT UPSTREAM_PORT SLOW_PORT}
 */
public final class NettyRelay {
  private static final String SLOW = "/slow/";

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int upstreamPort = Integer.parseInt(args[1]);
    int slowPort = Integer.parseInt(args[2]);
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                new ClientSide(upstreamPort, slowPort));
          }
        })
        .bind("127.0.0.1", port).sync();
    System.out.println("netty relay on 127.0.0.1:" + port + " -> 127.0.0.1:" + upstreamPort);
  }

  /** A client connection: forwards each request over its own upstream connection. */
  private static final class ClientSide extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final int upstreamPort;
    private final int slowPort;
    private ChannelFuture upstream;
    private boolean slow;

    ClientSide(int upstreamPort, int slowPort) {
      super(false);
      this.upstreamPort = upstreamPort;
      this.slowPort = slowPort;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      if (upstream == null) {
        slow = request.uri().startsWith(SLOW);
        Channel client = ctx.channel();
        upstream = new Bootstrap().group(client.eventLoop()).channel(EpollSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new UpstreamSide(client));
              }
            })
            .connect("127.0.0.1", slow ? slowPort : upstreamPort);
      }
      if (slow && request.uri().startsWith(SLOW)) {
        request.setUri(request.uri().substring(SLOW.length() - 1));
      }
      if (upstream.isDone()) {
        send(ctx, request);
      } else {
        upstream.addListener((ChannelFutureListener) f -> send(ctx, request));
      }
    }

    private void send(ChannelHandlerContext ctx, FullHttpRequest request) {
      if (upstream.isSuccess()) {
        upstream.channel().writeAndFlush(request);
      } else {
        ReferenceCountUtil.release(request);
        ctx.close();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (upstream != null) {
        upstream.channel().close();
      }
    }
  }

  /** An upstream connection: passes the response's parts to its client, one flush per read. */
  private static final class UpstreamSide extends ChannelInboundHandlerAdapter {
    private final Channel client;

    UpstreamSide(Channel client) {
      this.client = client;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpObject) {
        client.write(msg);
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      client.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      client.close();
    }
  }
}
